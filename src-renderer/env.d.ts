// Ambient types for the renderer: Vite's asset imports (`?url`, `.svg`) and import.meta.env.
/// <reference types="vite/client" />
