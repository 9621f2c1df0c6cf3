# Sourced by bench/token/*.sh: a free 127.0.0.1 port in $port and, in $work/auth.yml, the one-user
# configuration the token benchmarks run serve with (alice:secret, every action).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
hash=$(printf 'secret\n' | "$JAVA_HOME/bin/java" -jar "$here/target/portcullis.jar" hash-password --cost 10)
cat > "$work/auth.yml" <<YAML
server: {addr: "127.0.0.1:$port"}
data_dir: "$work/data"
token: {issuer: bench, expiration: 300}
users:
  alice: {password: "$hash"}
acl:
  - match: {account: alice}
    actions: ["*"]
YAML
