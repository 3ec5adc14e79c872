import { createReadStream } from 'node:fs';
import { Controller, Get, Inject, NotFoundException, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { WIDGET_SCRIPT_PATH } from './widget-pin.js';

/**
 * `GET /demo/hotglue-widget.js`: hotglue's widget script, kept under `.local/` by local mode. Registered in
 * local mode only; it serves that one file (never the directory, which also holds the signing key), with
 * status 200 and the sample's `no-store`. Without the file: 404 whose message says how to get it.
 */
@ApiExcludeController()
@Controller()
export class WidgetScriptController {
  constructor(@Inject(SAMPLE_OPTIONS) private readonly options: SampleAppOptions) {}

  @Get(WIDGET_SCRIPT_PATH.slice(1))
  script(): StreamableFile {
    const script = this.options.demo?.widgetScript;
    if (!script?.available) {
      throw new NotFoundException(script?.hint ?? 'hotglue widget not available in this mode');
    }
    return new StreamableFile(createReadStream(script.path), { type: 'text/javascript; charset=utf-8' });
  }
}
