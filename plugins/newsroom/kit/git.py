"""Git commands whose output the build reads, whatever the person's own git configuration says.

What `git log`, `git diff` and `git cat-file` print depends on configuration the newsroom does not own: a person's
`~/.gitconfig` with `diff.relative` prints paths without the `content/` prefix (every change then looks like a
change to code, and every post loses its history); `log.showSignature` prints signature lines before a commit's
fields; `color.ui=always` adds escapes; `log.follow` changes which commits a path's log lists. Every command whose
output is parsed is made by `git_command`, which sets each of these back to git's default for that one command.
The global configuration itself is kept: CI's `safe.directory` lives there.

Options that exist only on the command line are the caller's: a command that reads patches passes `--no-ext-diff`
and `--no-textconv` (an external diff or a textconv filter would replace the very text being read).
"""

from __future__ import annotations

# Each setting that changes what a parsed command prints, at git's own default.
PINNED_SETTINGS = (
    "color.ui=never",
    "core.quotePath=true",
    "diff.mnemonicPrefix=false",
    "diff.noprefix=false",
    "diff.relative=false",
    "i18n.logOutputEncoding=UTF-8",
    "log.decorate=false",
    "log.follow=false",
    "log.showRoot=true",
    "log.showSignature=false",
)


def git_command(*args: str) -> list[str]:
    """`git *args`, with the settings that shape its output pinned (PINNED_SETTINGS)."""
    pinned = [part for setting in PINNED_SETTINGS for part in ("-c", setting)]
    return ["git", *pinned, *args]
