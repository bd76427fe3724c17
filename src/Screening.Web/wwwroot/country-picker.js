// The searchable list of countries (CountryPicker.razor). Listeners are on the document, so the pages Blazor's
// enhanced navigation brings in work as those loaded whole; without this script the list is plain check boxes.
(() => {
    // The folding CountryPicker.Plain applies to each country's terms: lower case, accents dropped.
    const plain = text => text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();

    function filter(picker, query) {
        const words = plain(query).split(/\s+/).filter(w => w.length > 0);
        let shown = 0;
        for (const label of picker.querySelectorAll('label[data-terms]')) {
            const terms = label.dataset.terms;
            const match = words.every(w => terms.includes(w));
            label.hidden = !match;
            shown += match ? 1 : 0;
        }
        picker.querySelector('[data-country-none]').hidden = shown > 0;
    }

    function describe(picker) {
        const output = picker.querySelector('[data-country-chosen]');
        const names = [...picker.querySelectorAll('input[type=checkbox]:checked')].map(box => box.parentElement.textContent.trim());
        output.textContent = names.length === 0 ? output.dataset.none : output.dataset.template.replace('{0}', names.join(', '));
    }

    document.addEventListener('input', event => {
        const picker = event.target.closest('[data-country-picker]');
        if (picker && event.target.matches('[data-country-filter]')) {
            filter(picker, event.target.value);
        }
    });

    document.addEventListener('change', event => {
        const picker = event.target.closest('[data-country-picker]');
        if (picker && event.target.matches('input[type=checkbox]')) {
            describe(picker);
        }
    });

    // Enter in the search box chooses the first country shown and clears the search, rather than sending the form.
    document.addEventListener('keydown', event => {
        if (event.key !== 'Enter' || !event.target.matches('[data-country-filter]')) {
            return;
        }
        event.preventDefault();
        const picker = event.target.closest('[data-country-picker]');
        const first = [...picker.querySelectorAll('label[data-terms]')].find(label => !label.hidden);
        if (first && event.target.value.trim() !== '') {
            first.querySelector('input').checked = true;
            event.target.value = '';
            filter(picker, '');
            describe(picker);
        }
    });
})();
