// Turns the compose `mongo` service into a single-node replica set "rs0" (transactions and change
// streams need a replica set) and reports whether it is ready.
//
// docker-compose.yml runs it as the mongo container's healthcheck, inside that container:
//   mongosh --quiet --norc /opt/mailroom/init-replica-set.js
// It is idempotent: the first run initiates the set, every run after that only checks. It exits 0 once
// this node is a writable primary, and non-zero until then, so services that depend on mongo being
// healthy start only when they can write.
//
// The member is named by its compose service name, "mongo:27017", which both this container and the
// apps resolve on the compose network. From the host, connect with directConnection=true
// (mongodb://127.0.0.1:27017/?directConnection=true): the host cannot resolve "mongo".

const REPLICA_SET = 'rs0';
const MEMBER_HOST = 'mongo:27017';

// Before rs.initiate() a mongod started with --replSet answers hello without a setName.
if (!db.adminCommand({ hello: 1 }).setName) {
  print(`initiating replica set ${REPLICA_SET} with ${MEMBER_HOST}`);
  rs.initiate({ _id: REPLICA_SET, members: [{ _id: 0, host: MEMBER_HOST }] });
}

// Elected a moment after initiation: not ready (exit 1) until then; the next check will see it.
const hello = db.adminCommand({ hello: 1 });
if (hello.setName !== REPLICA_SET || !hello.isWritablePrimary) {
  print(`replica set ${REPLICA_SET} not ready yet (setName=${hello.setName}, writablePrimary=${hello.isWritablePrimary})`);
  quit(1);
}
