// Small pieces every view uses: labelled fields that show their error beside them, notices, data loading.
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';

/**
 * A labelled input (or textarea with `multiline`); `error` is shown under it and announced with it.
 * @param {{ label: string, value: string, onInput: (value: string) => void, error?: string, hint?: string,
 *   multiline?: boolean, path?: string, [key: string]: unknown }} props  path: the API field it edits
 */
export function TextField({ label, value, onInput, error, hint, multiline = false, path, ...rest }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'data-path': path,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': described,
    onInput: (/** @type {InputEvent} */ event) => onInput(/** @type {HTMLInputElement} */ (event.currentTarget).value),
    ...rest,
  };
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    ${multiline ? html`<textarea ...${common}></textarea>` : html`<input type="text" ...${common} />`}
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </div>`;
}

/**
 * @param {{ label: string, value: string, onChange: (value: string) => void, options: [string, string][],
 *   error?: string, path?: string, [key: string]: unknown }} props  options: [value, label] pairs
 */
export function SelectField({ label, value, onChange, options, error, path, ...rest }) {
  const id = useId();
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    <select id=${id} value=${value} data-path=${path} aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${error ? `${id}-error` : undefined} ...${rest}
      onChange=${(/** @type {Event} */ event) => onChange(/** @type {HTMLSelectElement} */ (event.currentTarget).value)}>
      ${options.map(([optionValue, text]) => html`<option value=${optionValue} selected=${optionValue === value}>${text}</option>`)}
    </select>
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </div>`;
}

/** @param {{ label: string, checked: boolean, onChange: (checked: boolean) => void, hint?: string, [key: string]: unknown }} props */
export function CheckField({ label, checked, onChange, hint, ...rest }) {
  const id = useId();
  return html`<div class="check">
    <input type="checkbox" id=${id} checked=${checked} aria-describedby=${hint ? `${id}-hint` : undefined} ...${rest}
      onChange=${(/** @type {Event} */ event) => onChange(/** @type {HTMLInputElement} */ (event.currentTarget).checked)} />
    <label for=${id}>${label}</label>
    ${hint && html`<span class="hint" id=${`${id}-hint`}>${hint}</span>`}
  </div>`;
}

/** An error for the whole form or view, announced at once. */
export function ErrorNotice({ error }) {
  if (!error) return null;
  return html`<p class="notice error" role="alert">${error instanceof Error ? error.message : String(error)}</p>`;
}

/** A success or progress line, announced politely. */
export function StatusNotice({ text }) {
  return html`<p class="notice ok" role="status" aria-live="polite">${text || ''}</p>`;
}

/** A view's heading; it takes the focus when the view opens, so screen readers announce where the user is. */
export function PageTitle({ children }) {
  const ref = useRef(/** @type {HTMLHeadingElement | null} */ (null));
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement?.closest('nav'))
      ref.current?.focus({ preventScroll: true });
  }, []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

/**
 * Loads data when the component mounts and whenever `deps` change; `reload` loads it again, keeping what is shown
 * until the new answer arrives.
 * @template T
 * @param {() => Promise<T>} load @param {unknown[]} deps
 */
export function useLoad(load, deps) {
  const [state, setState] = useState(
    /** @type {{ data: T | undefined, error: unknown, loading: boolean }} */ ({
      data: undefined,
      error: null,
      loading: true,
    }),
  );
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  return { ...state, reload };
}

/** Moves the focus to the form's first field marked invalid, once the errors are rendered. */
export function focusFirstInvalid(/** @type {HTMLElement | null} */ form) {
  requestAnimationFrame(() =>
    /** @type {HTMLElement | null} */ (form?.querySelector('[aria-invalid="true"]'))?.focus(),
  );
}
