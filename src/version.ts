/** The service version, as registered in oCIS's service registry (kept equal to package.json by a test). */
export const SERVICE_VERSION = '0.1.0';
