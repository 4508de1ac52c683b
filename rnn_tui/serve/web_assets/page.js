// Buttons of the app page (the page's policy allows no inline script).
for (const id of ["start", "again"]) {
  document.getElementById(id).addEventListener("click", () => location.reload());
}
