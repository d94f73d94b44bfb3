// JSX-like templates without a build step: htm turns tagged template literals into preact elements.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
