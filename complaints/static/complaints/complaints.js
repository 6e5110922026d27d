// Intake: choosing a shop narrows nothing server-side; choosing a floor
// hides the other floors' places so the desk finds the shop in seconds.
document.addEventListener("change", function (event) {
  if (event.target.name !== "floor") {
    return;
  }
  var unit = document.querySelector("select[name=unit]");
  if (!unit) {
    return;
  }
  var floorText = event.target.options[event.target.selectedIndex].text;
  Array.prototype.forEach.call(unit.options, function (option) {
    option.hidden = Boolean(event.target.value) && option.value !== "" && option.text.indexOf(floorText + " ·") !== 0;
  });
});
