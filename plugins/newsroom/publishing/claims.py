"""Claim before sending, the CI way: `invoke publish` commits syndication's claim (syndication/claims.py).

In CI the ledger lives in a fresh checkout and survives only if the run commits it. So the claim is committed
and pushed with the publish state before syndication sends anything; when that fails, the run stops, nothing is
posted, and syndication withdraws the claim from the local ledger.
"""

from __future__ import annotations

from collections.abc import Callable

from newsroom.syndication.claims import Claim
from newsroom.syndication.command import Stop


def commit_claim(claim: Claim, save: Callable[[str], str], out: Callable[[str], None]) -> None:
    """Commit the ledger holding `claim` (`save` commits the state with a message and says what it did).
    Raises Stop, so that nothing is sent, when the commit cannot be made."""
    try:
        out(save(f"Newsroom ledger: claim {claim.summary()} before syndicating [skip ci]"))
    except Exception as error:
        raise Stop(f"the ledger could not be saved before posting, so nothing was posted ({error})") from None
