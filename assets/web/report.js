// The printable report: its print button (scripts only from this site).
document.getElementById("print").addEventListener("click", () => window.print());
