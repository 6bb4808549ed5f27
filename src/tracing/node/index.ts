export { type JsonlExporter, type JsonlExporterOptions, jsonlExporter } from './jsonl-exporter';
export { readTraceLog } from './read-trace-log';
