// Monaco, for the one page that edits code. Its files are the BlazorMonaco package's static web assets, served by
// the host itself (nothing comes from a CDN), and loaded only here rather than on every page: the editor is 3 MB.
const vs = '_content/BlazorMonaco/lib/monaco-editor/min/vs';
let loading = null;

function script(src) {
    return new Promise((resolve, reject) => {
        const element = document.createElement('script');
        element.src = src;
        element.onload = resolve;
        element.onerror = () => reject(new Error(`${src} could not be loaded`));
        document.head.appendChild(element);
    });
}

// Loads Monaco once, its own words (menus, the accessibility help) in the page's language where it has them.
export function load(language) {
    loading ??= (async () => {
        // BlazorMonaco's interop declares the loader's configuration (a global `require` object) before the loader reads it.
        await script('_content/BlazorMonaco/jsInterop.js');
        window.require.paths = { vs };
        if (language === 'fr' || language === 'es') {
            window.require['vs/nls'] = { availableLanguages: { '*': language } };
        }
        await script(`${vs}/loader.js`);
        await new Promise((resolve, reject) => window.require(['vs/editor/editor.main'], resolve, reject));
    })();
    return loading;
}

// The validation's problems and warnings on their lines, as squiggles, in the margin's overview and on hover.
export function mark(id, markers) {
    const editor = window.blazorMonaco?.editor.getEditor(id, true);
    const model = editor?.getModel();
    if (!model) {
        return;
    }
    monaco.editor.setModelMarkers(model, 'screening', markers.map(m => ({
        severity: m.error ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: m.message,
        startLineNumber: m.line, startColumn: m.startColumn, endLineNumber: m.line, endColumn: m.endColumn,
    })));
}

// Puts the cursor on a problem's line, in view, and the keyboard in the editor.
export function reveal(id, line, column) {
    const editor = window.blazorMonaco?.editor.getEditor(id, true);
    if (!editor) {
        return;
    }
    editor.setPosition({ lineNumber: line, column });
    editor.revealLineInCenter(line);
    editor.focus();
}
