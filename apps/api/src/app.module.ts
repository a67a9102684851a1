import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, ValidationPipe, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { BillingGraphQLModule, BillingModule } from '@gemeng/billing';
import { CatalogueGraphQLModule } from '@gemeng/catalogue';
import { CommunesGraphQLModule, CommunesModule } from '@gemeng/communes';
import { InvalidInputError, validationProblems, type GraphQLRequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { DepartmentsGraphQLModule } from '@gemeng/departments';
import { DocumentsModule, DocumentStorageModule } from '@gemeng/documents';
import { DossiersGraphQLModule, DossiersModule, DossierTypesGraphQLModule } from '@gemeng/dossiers';
import { IdentityGraphQLModule, IdentityModule } from '@gemeng/identity';
import { LiveModule } from '@gemeng/live';
import { GEMENG_CONFIG, PlatformModule, type PlatformModuleOptions } from '@gemeng/platform';
import type { GemengConfig } from '@gemeng/core';
import { AuthController } from './auth/auth.controller';
import { OidcClient } from './auth/oidc-client';
import { SessionHandler, SessionMiddleware } from './auth/session.middleware';
import { AccessGuard } from './graphql/access.guard';
import { formatGraphQLError } from './graphql/error-format';
import { complexityLimitPlugin, depthLimitRule, MAX_QUERY_COMPLEXITY, MAX_QUERY_DEPTH } from './graphql/query-limits';
import { createRequestContext } from './graphql/request-context.factory';
import { subscriptionsOverHttpPlugin } from './graphql/subscriptions.operations';
import { SubscriptionServer } from './graphql/subscriptions.server';
import { transactionPlugin } from './graphql/transaction.plugin';
import { DocumentsController } from './http/documents.controller';
import { HealthController } from './http/health.controller';
import { HostMiddleware } from './http/host.middleware';
import { InvoicesController } from './http/invoices.controller';
import { DossierPageController } from './http/dossier-page.controller';
import { PortalController } from './http/portal.controller';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(options),
        LiveModule.forRoot({ redisUrl: options.config.redisUrl }),
        CommunesModule,
        IdentityModule,
        DocumentStorageModule.forRoot(options.config),
        DocumentsModule,
        DossiersModule,
        BillingModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [],
          inject: [TenantTransactions, GEMENG_CONFIG],
          useFactory: (transactions: TenantTransactions, config: GemengConfig): ApolloDriverConfig => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            // Subscriptions (graphql-ws, on this path too) are served by SubscriptionServer: see docs/live.md.
            playground: false,
            introspection: !config.production,
            includeStacktraceInErrorResponses: false,
            csrfPrevention: true,
            formatError: formatGraphQLError,
            plugins: [
              subscriptionsOverHttpPlugin(),
              complexityLimitPlugin(MAX_QUERY_COMPLEXITY),
              transactionPlugin(transactions),
            ],
            validationRules: [depthLimitRule(MAX_QUERY_DEPTH)],
            context: ({ req, res }: { req: Request; res: Response }): GraphQLRequestContext => ({
              ctx: createRequestContext(req, res, transactions, config),
              endSession: () =>
                new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve())),
            }),
          }),
        }),
        CommunesGraphQLModule,
        CatalogueGraphQLModule,
        DepartmentsGraphQLModule,
        DossierTypesGraphQLModule,
        IdentityGraphQLModule,
        DossiersGraphQLModule,
        BillingGraphQLModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        PortalController,
        DossierPageController,
        DocumentsController,
        InvoicesController,
      ],
      providers: [
        OidcClient,
        SessionHandler,
        SubscriptionServer,
        { provide: APP_GUARD, useClass: AccessGuard },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            exceptionFactory: (errors) => new InvalidInputError('The input is invalid', validationProblems(errors)),
          }),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HostMiddleware, SessionMiddleware).exclude('health/{*path}').forRoutes('*');
  }
}
