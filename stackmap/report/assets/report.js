/* stackmap report: pan and zoom, system details with neighbours, findings filters.
   Plain JavaScript, no network, no libraries. Without it the page shows the same content statically. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  if (!root.classList.contains("js")) {  /* set in <head> already, before the first style pass */
    root.classList.remove("no-js");
    root.classList.add("js");
  }

  var data = { neighbours: {} };
  var source = doc.getElementById("stackmap-data");
  if (source) {
    data = JSON.parse(source.textContent);
  }

  Array.prototype.forEach.call(doc.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });

  /* ---- pan and zoom ------------------------------------------------------------------------- */

  var MIN_SCALE = 0.5;   /* the whole drawing at most twice as small as fitted */
  var MAX_SCALE = 40;    /* and at most 40 times larger */
  var viewers = [];

  function Viewer(viewport) {
    var svg = viewport.querySelector("svg");
    var fitted = svg.getAttribute("viewBox");
    var box = svg.viewBox.baseVal;
    var base = { x: box.x, y: box.y, w: box.width, h: box.height };
    var view = { x: base.x, y: base.y, w: base.w, h: base.h };
    var drag = null;
    this.suppressClick = false;
    var self = this;

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }

    function toUser(clientX, clientY) {
      var matrix = svg.getScreenCTM();
      if (!matrix) {
        return { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      }
      var point = svg.createSVGPoint();
      point.x = clientX;
      point.y = clientY;
      return point.matrixTransform(matrix.inverse());
    }

    function centre() {
      var rect = svg.getBoundingClientRect();
      return toUser(rect.left + rect.width / 2, rect.top + rect.height / 2);
    }

    function zoom(factor, at) {
      var scale = base.w / (view.w / factor);
      if (scale < MIN_SCALE || scale > MAX_SCALE) {
        return;
      }
      at = at || centre();
      view.x = at.x - (at.x - view.x) / factor;
      view.y = at.y - (at.y - view.y) / factor;
      view.w /= factor;
      view.h /= factor;
      apply();
    }

    function pan(dx, dy) {
      view.x += dx;
      view.y += dy;
      apply();
    }

    function reset() {
      view = { x: base.x, y: base.y, w: base.w, h: base.h };
      svg.setAttribute("viewBox", fitted);
    }

    /* user units per screen pixel (the drawing is fitted with "meet") */
    function unitsPerPixel() {
      var rect = svg.getBoundingClientRect();
      return Math.max(view.w / (rect.width || 1), view.h / (rect.height || 1));
    }

    this.reset = reset;
    this.svg = svg;

    /* centre a node in the view, without changing the zoom */
    this.reveal = function (node) {
      var bbox = node.getBBox();
      var matrix = node.getCTM();
      var rootMatrix = svg.getCTM();
      if (!matrix || !rootMatrix) {
        return;
      }
      var toRoot = rootMatrix.inverse().multiply(matrix);
      var point = svg.createSVGPoint();
      point.x = bbox.x + bbox.width / 2;
      point.y = bbox.y + bbox.height / 2;
      var c = point.matrixTransform(toRoot);
      if (c.x < view.x || c.x > view.x + view.w || c.y < view.y || c.y > view.y + view.h) {
        view.x = c.x - view.w / 2;
        view.y = c.y - view.h / 2;
        apply();
      }
    };

    viewport.setAttribute("tabindex", "0");
    viewport.setAttribute("aria-label", (svg.getAttribute("aria-label") || "Diagram") +
      ": arrow keys pan, + and - zoom, 0 fits");

    viewport.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, toUser(event.clientX, event.clientY));
    }, { passive: false });

    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
      self.suppressClick = false;
    });

    viewport.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) {
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) {
        return;
      }
      if (!drag.moved) {
        drag.moved = true;
        viewport.classList.add("dragging");
        viewport.setPointerCapture(event.pointerId);
      }
      var k = unitsPerPixel();
      pan(-dx * k, -dy * k);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });

    function endDrag(event) {
      if (!drag || drag.id !== event.pointerId) {
        return;
      }
      if (drag.moved) {
        self.suppressClick = true;
        viewport.classList.remove("dragging");
      }
      drag = null;
    }
    viewport.addEventListener("pointerup", endDrag);
    viewport.addEventListener("pointercancel", endDrag);

    viewport.addEventListener("keydown", function (event) {
      if (event.target !== viewport) {
        return;
      }
      var step = 40 * unitsPerPixel();
      var keys = {
        "+": function () { zoom(1.25); },
        "=": function () { zoom(1.25); },
        "-": function () { zoom(1 / 1.25); },
        "0": reset,
        "ArrowLeft": function () { pan(-step, 0); },
        "ArrowRight": function () { pan(step, 0); },
        "ArrowUp": function () { pan(0, -step); },
        "ArrowDown": function () { pan(0, step); }
      };
      if (keys[event.key]) {
        event.preventDefault();
        keys[event.key]();
      }
    });

    var figure = viewport.closest("figure");
    if (figure) {
      Array.prototype.forEach.call(figure.querySelectorAll("[data-zoom]"), function (button) {
        button.addEventListener("click", function () {
          var what = button.getAttribute("data-zoom");
          if (what === "in") {
            zoom(1.4);
          } else if (what === "out") {
            zoom(1 / 1.4);
          } else {
            reset();
          }
        });
      });
    }
  }

  Array.prototype.forEach.call(doc.querySelectorAll("[data-viewport]"), function (viewport) {
    if (viewport.querySelector("svg")) {
      viewers.push(new Viewer(viewport));
    }
  });

  window.addEventListener("beforeprint", function () {
    viewers.forEach(function (v) { v.reset(); });
  });

  /* ---- system details and neighbours --------------------------------------------------------- */

  var panel = doc.getElementById("details");
  var panelBody = doc.getElementById("details-body");
  var panelTitle = doc.getElementById("details-title");
  var closeButton = doc.getElementById("details-close");
  var opener = null;
  var selected = null;

  function clearHighlight() {
    Array.prototype.forEach.call(doc.querySelectorAll(".is-selected, .is-neighbour, .is-active, .has-selection"),
      function (el) {
        el.classList.remove("is-selected", "is-neighbour", "is-active", "has-selection");
      });
  }

  function highlight(id) {
    var neighbours = {};
    (data.neighbours[id] || []).forEach(function (n) { neighbours[n] = true; });
    viewers.forEach(function (viewer) {
      var hit = null;
      Array.prototype.forEach.call(viewer.svg.querySelectorAll("g.node[data-system]"), function (node) {
        var system = node.getAttribute("data-system");
        if (system === id) {
          node.classList.add("is-selected");
          hit = node;
        } else if (neighbours[system]) {
          node.classList.add("is-neighbour");
        }
      });
      Array.prototype.forEach.call(viewer.svg.querySelectorAll("g.edge[data-from]"), function (edge) {
        if (edge.getAttribute("data-from") === id || edge.getAttribute("data-to") === id) {
          edge.classList.add("is-active");
        }
      });
      if (hit) {
        viewer.svg.classList.add("has-selection");
        viewer.reveal(hit);
      }
    });
  }

  function select(id, from) {
    var card = doc.getElementById("system-" + id);
    if (!card || !panel) {
      return false;
    }
    if (panel.hidden) {
      opener = from || doc.activeElement;
    }
    selected = id;
    clearHighlight();
    highlight(id);
    var copy = card.cloneNode(true);
    copy.removeAttribute("id");
    var heading = copy.querySelector(".card-title");
    panelTitle.textContent = card.getAttribute("data-name") || id;
    if (heading) {  /* the name is the panel's title; the id and lifecycle stay under it */
      var subtitle = doc.createElement("p");
      subtitle.className = "card-subtitle";
      Array.prototype.slice.call(heading.childNodes, 1).forEach(function (node) {
        subtitle.appendChild(node);
      });
      heading.parentNode.replaceChild(subtitle, heading);
    }
    panelBody.textContent = "";
    panelBody.appendChild(copy);
    panel.hidden = false;
    panel.setAttribute("data-selected", id);
    panelTitle.focus();
    return true;
  }

  function close() {
    if (!panel || panel.hidden) {
      return;
    }
    panel.hidden = true;
    selected = null;
    clearHighlight();
    if (opener && doc.contains(opener) && typeof opener.focus === "function") {
      opener.focus();
    }
    opener = null;
  }

  doc.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-system]") : null;
    if (!target) {
      return;
    }
    var viewport = target.closest("[data-viewport]");
    if (viewport) {
      var viewer = viewers.filter(function (v) { return v.svg.parentNode === viewport; })[0];
      if (viewer && viewer.suppressClick) {
        viewer.suppressClick = false;
        return;
      }
    }
    if (select(target.getAttribute("data-system"), panel.hidden ? target : opener)) {
      event.preventDefault();
    }
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close();
      return;
    }
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.matches && target.matches("g.node[data-system]")) {
      event.preventDefault();
      select(target.getAttribute("data-system"), target);
    }
  });

  if (closeButton) {
    closeButton.addEventListener("click", close);
  }

  /* ---- findings filters ---------------------------------------------------------------------- */

  var table = doc.getElementById("findings-table");
  var rule = doc.getElementById("filter-rule");
  var severity = doc.getElementById("filter-severity");
  var search = doc.getElementById("filter-search");
  var count = doc.getElementById("findings-count");
  if (table && rule && severity && search && count) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var filter = function () {
      var r = rule.value;
      var s = severity.value;
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!r || row.getAttribute("data-rule") === r) &&
          (!s || row.getAttribute("data-severity") === s) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) {
          shown += 1;
        }
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " findings.";
    };
    rule.addEventListener("change", filter);
    severity.addEventListener("change", filter);
    search.addEventListener("input", filter);
    var form = rule.form;
    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
    }
    filter();
  }

  /* a link to a system (#system-ID) opened directly selects it */
  var hash = window.location.hash;
  if (hash.indexOf("#system-") === 0) {
    select(decodeURIComponent(hash.slice("#system-".length)), null);
  }
}());
