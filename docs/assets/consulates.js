/* The maps of the state pages (part of consulates, MIT licence).
 *
 * Each <div class="cs-map"> carries its offices as JSON in data-points: arrays of
 * [latitude, longitude, name, kind, group, closed (0/1), place, link, approximate (0/1)]:
 * an approximate point is the office's city, drawn as a hollow marker; data-hosts lists
 * the ISO 3166-1 numeric codes of the countries to shade. The base layer is Natural
 * Earth's country outlines (assets/world-110m.js), so the map works offline;
 * OpenStreetMap tiles are an optional layer that the reader's browser fetches.
 * Data from the registry reaches the page through textContent only, never as HTML.
 * Only pages with a map load this script (and Leaflet, and the outlines).
 */
(function () {
  "use strict";

  var COLOURS = {
    diplomatic: "#1e4fd8",
    consular: "#177a33",
    honorary: "#b45309",
    other: "#8e24aa",
    closed: "#6b6b6b"
  };

  function textElement(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function popup(point) {
    var box = document.createElement("div");
    box.appendChild(textElement("strong", point[2]));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(point[3] + " · " + point[6] + (point[5] ? " · closed" : "")));
    if (point[8] === 1) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode("placed at its city: the site is not recorded"));
    }
    box.appendChild(document.createElement("br"));
    var link = textElement("a", "every fact and source");
    link.setAttribute("href", point[7]);
    box.appendChild(link);
    return box;
  }

  var CELL = 30;

  function single(point) {
    var closed = point[5] === 1;
    var approximate = point[8] === 1;
    var colour = COLOURS[closed ? "closed" : point[4]] || COLOURS.other;
    var marker = L.circleMarker([point[0], point[1]], {
      radius: closed ? 4 : 5.5,
      color: approximate ? colour : "#ffffff",
      weight: approximate ? 2 : 1,
      fillColor: approximate ? "#ffffff" : colour,
      fillOpacity: approximate ? 0.85 : (closed ? 0.7 : 0.95)
    });
    marker.bindTooltip(textElement("span", point[2]));
    marker.bindPopup(function () { return popup(point); });
    return marker;
  }

  function clusterColour(members) {
    var open = members.filter(function (point) { return point[5] !== 1; });
    if (!open.length) {
      return COLOURS.closed;
    }
    var group = open[0][4];
    var same = open.every(function (point) { return point[4] === group; });
    return same ? (COLOURS[group] || COLOURS.other) : "#455a64";
  }

  function clusterPopup(members) {
    var box = document.createElement("div");
    box.appendChild(textElement("strong", members.length + " offices"));
    var list = document.createElement("ul");
    list.className = "cs-popup-list";
    members.slice(0, 15).forEach(function (point) {
      var item = document.createElement("li");
      var link = textElement("a", point[2]);
      link.setAttribute("href", point[7]);
      item.appendChild(link);
      if (point[5] === 1) {
        item.appendChild(document.createTextNode(" (closed)"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (members.length > 15) {
      box.appendChild(document.createTextNode("… and " + (members.length - 15) + " more: zoom in, or see the tables."));
    }
    return box;
  }

  function cluster(members) {
    var latitude = 0;
    var longitude = 0;
    members.forEach(function (point) {
      latitude += point[0] / members.length;
      longitude += point[1] / members.length;
    });
    var size = Math.round(Math.min(44, 18 + 5 * Math.log(members.length)));
    var icon = L.divIcon({
      className: "cs-cluster",
      // A number this script counted: no data from the registry goes into this HTML.
      html: '<span style="background:' + clusterColour(members) + '">' + members.length + "</span>",
      iconSize: [size, size]
    });
    var marker = L.marker([latitude, longitude], { icon: icon, keyboard: true, title: members.length + " offices" });
    marker.on("click", function () {
      var bounds = L.latLngBounds(members.map(function (point) { return [point[0], point[1]]; }));
      var map = marker._map;
      if (map.getZoom() < 11 && bounds.getNorthEast().distanceTo(bounds.getSouthWest()) > 50) {
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
      } else {
        marker.bindPopup(clusterPopup(members)).openPopup();
      }
    });
    return marker;
  }

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function draw(element) {
    var points;
    var hosts;
    var home;
    try {
      points = JSON.parse(element.getAttribute("data-points") || "[]");
      hosts = JSON.parse(element.getAttribute("data-hosts") || "[]");
      home = JSON.parse(element.getAttribute("data-home") || "null");
    } catch (error) {
      return;
    }
    if (!window.L || !points.length) {
      return;
    }
    var shaded = {};
    hosts.forEach(function (id) {
      shaded[id] = true;
    });
    var map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 18, zoomSnap: 0.5, scrollWheelZoom: false });
    // The view first: Leaflet cannot draw vector layers on a map without one.
    map.fitBounds(points.map(function (point) { return [point[0], point[1]]; }), { padding: [24, 24], maxZoom: 6 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var outlines = L.geoJSON(window.CONSULATES_WORLD || { type: "FeatureCollection", features: [] }, {
      interactive: false,
      attribution: "Outlines: Natural Earth",
      style: function (feature) {
        var known = feature.id !== null && feature.id !== undefined;
        var fill = dark() ? "#2b3340" : "#f3f4f7";
        if (known && feature.id === home) {
          fill = dark() ? "#6b5a2e" : "#f3d98b";
        } else if (known && shaded[feature.id]) {
          fill = dark() ? "#3f4a7a" : "#c5cae9";
        }
        return {
          color: dark() ? "#5c6b80" : "#9aa3b5",
          weight: 0.6,
          fillColor: fill,
          fillOpacity: 1
        };
      }
    });
    outlines.addTo(map);
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors"
    });
    L.control.layers({ "Outlines (offline)": outlines, "OpenStreetMap (online)": tiles }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    // Offices closer than CELL pixels at the current zoom are drawn as one numbered marker:
    // each office joins the first group whose first office is that close, else starts one.
    function render() {
      layer.clearLayers();
      var zoom = map.getZoom();
      var groups = [];
      points.forEach(function (point) {
        var pixel = map.project([point[0], point[1]], zoom);
        for (var index = 0; index < groups.length; index += 1) {
          if (groups[index].pixel.distanceTo(pixel) < CELL) {
            groups[index].members.push(point);
            return;
          }
        }
        groups.push({ pixel: pixel, members: [point] });
      });
      groups.forEach(function (group) {
        (group.members.length === 1 ? single(group.members[0]) : cluster(group.members)).addTo(layer);
      });
    }
    map.on("zoomend", render);
    render();
    map.on("focus click", function () { map.scrollWheelZoom.enable(); });
    map.on("blur", function () { map.scrollWheelZoom.disable(); });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".cs-map"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
