import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { AUDIENCE_KEY, type Audience } from '@gemeng/core';
import { Browser } from './support/browser';
import { LoginWorld, type GraphQLAnswer } from './support/login-world';
import { OPERATOR_TOKEN, type TestApi } from './support/test-api';

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

interface RootField {
  operation: 'query' | 'mutation';
  name: string;
  audiences: Audience[] | undefined;
}

/** Every root query and mutation the application declares, with who may call it. */
function rootFields(api: TestApi): RootField[] {
  const fields: RootField[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        // Read descriptors, not properties: some providers have getters that must not run here.
        const method: unknown = Object.getOwnPropertyDescriptor(prototype, key)?.value;
        if (typeof method !== 'function') continue;
        const type = Reflect.getMetadata(RESOLVER_TYPE, method) as string | undefined;
        if (type !== 'Query' && type !== 'Mutation') continue;
        const audiences =
          (Reflect.getMetadata(AUDIENCE_KEY, method) as Audience[] | undefined) ??
          (Reflect.getMetadata(AUDIENCE_KEY, wrapper.metatype) as Audience[] | undefined);
        fields.push({
          operation: type === 'Query' ? 'query' : 'mutation',
          name: (Reflect.getMetadata(RESOLVER_NAME, method) as string | undefined) ?? key,
          audiences,
        });
      }
    }
  }
  return fields;
}

/** A literal of the argument's type that GraphQL accepts; refused calls never reach the resolver. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'false';
    return '"x"';
  }
  throw new Error(`No literal for ${String(type)}`);
}

function selection(api: TestApi, field: RootField): string {
  const schema = api.app.get(GraphQLSchemaHost).schema;
  const root = field.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  const definition = root?.getFields()[field.name];
  if (!definition) throw new Error(`${field.name} is not in the schema`);
  const args = definition.args
    .filter((a: GraphQLArgument) => isNonNullType(a.type))
    .map((a: GraphQLArgument) => `${a.name}: ${literal(a.type)}`);
  const named = getNamedType(definition.type);
  const sub = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${field.operation} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${sub} }`;
}

interface Caller {
  name: string;
  /** What this caller is granted; every other audience must be refused to it. */
  granted: Audience[];
  ask(query: string): Promise<GraphQLAnswer<unknown>>;
}

describe('Access matrix: who may call every query and mutation', () => {
  let world: LoginWorld;
  let api: TestApi;
  let fields: RootField[];
  const callers: Caller[] = [];

  async function caller(
    name: string,
    granted: Audience[],
    host: string,
    login?: string,
    headers: Record<string, string> = {},
  ): Promise<Caller> {
    const browser = new Browser();
    if (login) {
      const landed = await world.logIn(browser, host, login);
      if (landed.status !== 303) throw new Error(`${login} could not log in on ${host}: ${landed.status}`);
    }
    return { name, granted, ask: (query) => world.graphql(browser, host, query, headers) };
  }

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange']);
    api = world.api;
    fields = rootFields(api);
    const token = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    callers.push(
      await caller('anonymous on a commune host', ['commune-public'], 'esch.localhost'),
      await caller('a citizen', ['commune-public', 'citizen'], 'esch.localhost', 'citizen.esch@demo.gemeng.lu'),
      await caller('an agent', ['commune-public', 'citizen', 'agent'], 'esch.localhost', 'agent.esch@demo.gemeng.lu'),
      await caller(
        'an administrator',
        ['commune-public', 'citizen', 'agent', 'admin'],
        'esch.localhost',
        'admin.esch@demo.gemeng.lu',
      ),
      await caller(
        "another commune's administrator",
        ['commune-public', 'citizen'],
        'esch.localhost',
        'admin.dudelange@demo.gemeng.lu',
      ),
      await caller('the operator token on a commune host', ['commune-public'], 'esch.localhost', undefined, token),
      await caller('anonymous on the operator host', [], 'operator.localhost'),
      await caller('the operator token on the operator host', ['operator'], 'operator.localhost', undefined, token),
      await caller('the operator, logged in', ['operator'], 'operator.localhost', 'operator@demo.gemeng.lu'),
    );
  });
  afterAll(() => world?.stop());
  it('finds every root field of the schema among the resolvers', () => {
    const schema = api.app.get(GraphQLSchemaHost).schema;
    const inSchema = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((n) => `query ${n}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((n) => `mutation ${n}`),
    ].sort();
    expect(fields.map((f) => `${f.operation} ${f.name}`).sort()).toEqual(inSchema);
  });

  it('has a rule for every query and mutation (a new field without one fails here)', () => {
    const withoutRule = fields.filter((f) => !f.audiences?.length).map((f) => f.name);
    expect(withoutRule).toEqual([]);
  });

  it('lets each caller past the guard for what it is granted', async () => {
    const wronglyRefused: string[] = [];
    for (const field of fields.filter((f) => f.operation === 'query')) {
      for (const who of callers) {
        if (!field.audiences?.some((a) => who.granted.includes(a))) continue;
        const result = await who.ask(selection(api, field));
        const code = result.errors?.[0]?.extensions?.code;
        if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') wronglyRefused.push(`${field.name} for ${who.name}`);
      }
    }
    expect(wronglyRefused).toEqual([]);
  });

  it('refuses every field to every caller it does not name, before any resolver runs', async () => {
    const wronglyAnswered: string[] = [];
    for (const field of fields) {
      for (const who of callers) {
        if (field.audiences?.some((a) => who.granted.includes(a))) continue;
        const result = await who.ask(selection(api, field));
        const code = result.errors?.[0]?.extensions?.code;
        if (code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED') {
          wronglyAnswered.push(
            `${field.operation} ${field.name} for ${who.name}: ${JSON.stringify(result.errors ?? result.data)}`,
          );
        }
      }
    }
    expect(wronglyAnswered).toEqual([]);
    // Nothing was changed by the refused mutations.
    expect(await api.on('esch.localhost').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'esch' } });
  });
});
