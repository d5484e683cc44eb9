import { type DynamicModule, type INestApplicationContext, Module, type Type } from '@nestjs/common';

/**
 * Re-provides instances that live in another Nest context. Both apps run in one process by
 * default; the admin app borrows the gateway's services through this module so that a change
 * made through the admin API (an IAM update, say) is visible to the gateway at once — one
 * cache, one database pool — rather than through two independent module graphs.
 */
@Module({})
export class BridgeModule {
  static from(source: INestApplicationContext, tokens: readonly Type[]): DynamicModule {
    const providers = tokens.map((token) => ({
      provide: token,
      useValue: source.get<unknown>(token, { strict: false }),
    }));
    return { module: BridgeModule, global: true, providers, exports: [...tokens] };
  }
}
