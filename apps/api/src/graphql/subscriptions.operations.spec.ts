import { buildSchema, GraphQLError } from 'graphql';
import { LiveEventsOverflowError } from '@gemeng/live';
import { checkOperation, formatSubscriptionError } from './subscriptions.operations';

const schema = buildSchema(`
  type Department { name: String, parent: Department }
  type Query { department: Department }
  type Subscription { departmentChanged: Department }
`);

function refusal(query: string, introspection = true): { message: string; code: unknown }[] {
  const checked = checkOperation(schema, { query }, { introspection });
  if (!Array.isArray(checked)) return [];
  return checked.map((e) => ({ message: e.message, code: e.extensions.code }));
}

describe('an operation sent over WebSocket', () => {
  it('is accepted when it is a subscription within the limits', () => {
    const checked = checkOperation(
      schema,
      { query: 'subscription { departmentChanged { name } }' },
      { introspection: true },
    );
    expect(Array.isArray(checked)).toBe(false);
  });

  it('is refused when it does not parse, or does not validate', () => {
    expect(refusal('subscription {')).toEqual([
      { message: 'Syntax Error: Expected Name, found <EOF>.', code: 'GRAPHQL_PARSE_FAILED' },
    ]);
    expect(refusal('subscription { departmentChanged { budget } }')).toEqual([
      { message: 'Cannot query field "budget" on type "Department".', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
  });

  it('is refused deeper than 10 levels, as over HTTP', () => {
    const deep = `subscription { departmentChanged { ${'parent { '.repeat(9)}name${' }'.repeat(9)} } }`;
    expect(refusal(deep)).toEqual([
      { message: 'The query is 11 levels deep; at most 10 are allowed', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
  });

  it('is refused past 1,000 fields, as over HTTP', () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `n${i}: name`).join(' ');
    expect(refusal(`subscription { departmentChanged { ${fields} } }`)).toEqual([
      { message: 'The query asks for 1001 fields; at most 1000 are allowed', code: 'QUERY_TOO_COMPLEX' },
    ]);
  });

  it('is refused when it is a query or a mutation, which belong on HTTP', () => {
    expect(refusal('{ department { name } }')).toEqual([
      {
        message: 'Only subscriptions are served over WebSocket; send a query to POST /graphql',
        code: 'BAD_REQUEST',
      },
    ]);
  });

  it('may not look into the schema where introspection is off', () => {
    expect(refusal('subscription { departmentChanged { __typename } }', false)).toEqual([]);
    expect(refusal('{ __schema { types { name } } }', false)[0]).toEqual({
      message: 'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(refusal('{ __schema { types { name } } }', true)[0].code).toBe('BAD_REQUEST');
  });
});

describe('errors of subscriptions', () => {
  it('tell a subscriber that fell behind to subscribe again', () => {
    const error = new GraphQLError('x', { originalError: new LiveEventsOverflowError(100) });
    expect(formatSubscriptionError(error)).toEqual({
      message: 'More than 100 live events were waiting for this subscriber; subscribe again and reload',
      extensions: { code: 'SUBSCRIPTION_OVERFLOW' },
    });
  });

  it('hide what went wrong inside a resolver', () => {
    const error = new GraphQLError('relation "secret" does not exist', {
      path: ['departmentChanged'],
      originalError: new Error('relation "secret" does not exist'),
    });
    expect(formatSubscriptionError(error)).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
