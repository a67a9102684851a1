import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { CommuneDirectory } from '@gemeng/communes';
import { DataSource } from 'typeorm';

/** Probes for the orchestrator; they answer on any host, with no commune involved. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: CommuneDirectory,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; database: 'ok'; communes: number }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable', database: 'unreachable' });
    }
    return { status: 'ok', database: 'ok', communes: this.directory.size };
  }
}
