// The App Bridge web components the app renders (ui-nav-menu, ui-title-bar, ui-save-bar,
// ui-modal), defined so that they neither error nor show in the frame: App Bridge renders
// them in the admin. A fragment of the stand-in script (app-bridge-stand-in.ts), plain JS.

export const UI_ELEMENTS_JS = String.raw`  // ---- custom elements --------------------------------------------------------------------
  // A shadow root without a slot keeps the light-DOM children (menu links, title-bar buttons)
  // in the document, where React owns them, without rendering them.
  class HiddenElement extends HTMLElement {
    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: "open" });
    }
  }

  class ToggleableElement extends HiddenElement {
    show() {
      this.showing = true;
      this.onToggle(true);
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }
    hide() {
      if (!this.showing) return Promise.resolve();
      this.showing = false;
      this.onToggle(false);
      this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    }
    toggle() {
      return this.showing ? this.hide() : this.show();
    }
    onToggle() {}
  }

  // ui-modal: React portals the modal body into element.content, a light-DOM overlay.
  class ModalElement extends ToggleableElement {
    constructor() {
      super();
      var self = this;
      this.overlay = document.createElement("div");
      this.overlay.setAttribute("data-local-shopify-double", "modal");
      this.overlay.style.cssText =
        "display:none;position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);align-items:center;justify-content:center";
      this.content = document.createElement("div");
      this.content.style.cssText =
        "background:#fff;border-radius:12px;min-width:320px;max-width:90vw;max-height:85vh;overflow:auto;padding:16px;box-shadow:0 8px 32px rgba(0,0,0,.3)";
      this.overlay.appendChild(this.content);
      this.overlay.addEventListener("click", function (event) { if (event.target === self.overlay) self.hide(); });
    }
    onToggle(open) {
      if (!this.overlay.parentNode) document.body.appendChild(this.overlay);
      this.overlay.style.display = open ? "flex" : "none";
    }
    disconnectedCallback() {
      if (this.overlay.parentNode) this.overlay.parentNode.removeChild(this.overlay);
    }
  }

  // Each name needs a class of its own: a constructor can be registered only once.
  function define(name, base) {
    if (window.customElements && !customElements.get(name)) customElements.define(name, class extends base {});
  }
  define("ui-nav-menu", HiddenElement);
  define("ui-title-bar", HiddenElement);
  define("ui-save-bar", ToggleableElement);
  define("ui-modal", ModalElement);
`;
