// Copy buttons on the subscribe page. Without JavaScript they stay hidden and the address can be selected as text.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.closest(".feed-address")?.querySelector(".copy-status");
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
