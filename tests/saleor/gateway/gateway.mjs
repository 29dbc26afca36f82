// A federation gateway on loopback for the composition tests.
//
//   SUBGRAPHS='[{"name":"saleor","url":"http://127.0.0.1:8000/graphql/"},
//               {"name":"aftersales","url":"http://127.0.0.1:8000/plugins/channel/<slug>/io.github.saleor-aftersales/graphql/"}]'
//   PORT=0 node gateway.mjs
//
// Composes the subgraphs' federation v1 SDL (`_service { sdl }`) with Apollo Gateway, forwards
// the caller's Authorization header to every subgraph, and prints one JSON line
// {"ready": "<url>"} once it listens (or {"error": "..."} and exits 1 if composition fails).
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const subgraphs = JSON.parse(process.env.SUBGRAPHS || "[]");
const port = Number(process.env.PORT || 0);

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context && context.authorization) {
      request.http.headers.set("authorization", context.authorization);
    }
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({ subgraphs }),
  buildService: ({ url }) => new ForwardingDataSource({ url }),
});

try {
  const server = new ApolloServer({ gateway, introspection: true });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port },
    context: async ({ req }) => ({ authorization: req.headers.authorization || "" }),
  });
  console.log(JSON.stringify({ ready: url }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error && error.stack ? error.stack : error) }));
  process.exit(1);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => process.exit(0));
}
