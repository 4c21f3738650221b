// Copy buttons on the subscribe page. Without JavaScript they stay hidden and the address can be selected as text.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  // The field next to the button, not the first element anywhere with its id: a page body could reuse the id.
  const block = button.closest(".feed-address");
  const field = block?.querySelector(".feed-address__url");
  const status = block?.querySelector(".copy-status");
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = status.dataset.copied || "Copied: paste it into your feed reader.";
    } catch {
      field.select();
      if (status) status.textContent = status.dataset.select || "Select the address and copy it.";
    }
  });
});
