import { Module, type DynamicModule } from '@nestjs/common';
import { BillingModule } from '@gemeng/billing';
import { CommunesModule } from '@gemeng/communes';
import { DepartmentsModule } from '@gemeng/departments';
import { NotificationsModule } from '@gemeng/notifications';
import { DossierTypesModule } from '@gemeng/dossiers';
import { PlatformModule, type PlatformModuleOptions } from '@gemeng/platform';

/** Everything the operator's commands need: the platform plumbing and every context that seeds data. */
@Module({})
export class CliModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PlatformModule.forRoot(options),
        CommunesModule,
        DepartmentsModule,
        DossierTypesModule,
        NotificationsModule,
        BillingModule,
      ],
    };
  }
}
