import { createApp } from './app';

/** The Worker entry: hono's `fetch` is the whole handler. */
export default createApp();
