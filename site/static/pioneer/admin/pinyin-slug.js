// The page form's slug as pinyin of the title (see site/slugs.py). A Stimulus controller
// beside Wagtail's w-slug: Wagtail's w-sync on the title asks it to check and apply as the
// editor types; the server (pypinyin) makes the slug, unique among the page's siblings.
(() => {
  const register = () => {
    const { app } = window.wagtail || {};
    const Controller = window.StimulusModule && window.StimulusModule.Controller;
    if (!app || !Controller) return false;

    class PinyinSlugController extends Controller {
      static values = { url: String, parent: String, page: String };

      connect() {
        this.generated = null;
        this.request = 0;
        // A draft whose slug was made from its title stays in step with the title.
        const title = this.element.form && this.element.form.elements.namedItem("title");
        if (this.element.value && title && title.value) {
          this.fetchSlug(title.value).then((slug) => {
            if (slug === this.element.value) this.generated = slug;
          });
        }
      }

      fetchSlug(text, unique = true) {
        const query = new URLSearchParams({ title: text });
        if (unique && this.parentValue) query.set("parent", this.parentValue);
        if (this.pageValue) query.set("page", this.pageValue);
        return fetch(`${this.urlValue}?${query}`, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : { slug: null }))
          .then((data) => data.slug)
          .catch(() => null);
      }

      // w-sync:check: keep syncing while the slug is empty or still the one made here.
      compare(event) {
        const value = this.element.value;
        if (value && value !== this.generated) event.preventDefault();
      }

      // w-sync:apply: the title changed. A slug the editor typed is theirs to keep.
      apply(event) {
        if (this.element.value && this.element.value !== this.generated) return;
        const text = (event.detail && event.detail.value) || "";
        const request = ++this.request;
        if (!text.trim()) {
          this.element.value = "";
          this.generated = "";
          return;
        }
        this.fetchSlug(text).then((slug) => {
          if (request !== this.request || slug === null) return; // a later title won
          this.element.value = slug;
          this.generated = slug;
          this.element.dispatchEvent(new Event("change", { bubbles: true }));
        });
      }

      // blur: what the editor typed, with any Chinese made pinyin.
      slugify() {
        const value = this.element.value.trim();
        if (!value) return;
        const request = ++this.request;
        this.fetchSlug(value, false).then((slug) => {
          if (request === this.request && slug) this.element.value = slug;
        });
      }
    }

    app.register("pinyin-slug", PinyinSlugController);
    return true;
  };

  if (!register()) document.addEventListener("DOMContentLoaded", register, { once: true });
})();
