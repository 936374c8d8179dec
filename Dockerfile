# Herald's image: `docker build -t herald .`, then `docker run herald server|worker|db migrate|tenant create <name>`.
# Configuration is the environment (HERALD_DATABASE_URL, HERALD_TEMPORAL_ADDRESS, ...; see the README).

# ---- build ---------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src

# The poms alone first, so that the dependency download is a layer of its own, rebuilt only when a
# pom changes. The plugin is named with its version rather than left to Maven's default (Maven
# 3.8 picks 2.8, which fails on the reactor's own, not yet built, modules; 3.9.0 skips them).
COPY pom.xml ./
COPY model/pom.xml model/
COPY workflows/pom.xml workflows/
COPY core/pom.xml core/
COPY activities/pom.xml activities/
COPY api/pom.xml api/
COPY worker/pom.xml worker/
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline

# Then the sources (tests too: -DskipTests still compiles them, and worker's tests use the
# test-jars of core and activities). A new module needs its two lines here.
COPY model/src model/src
COPY workflows/src workflows/src
COPY core/src core/src
COPY activities/src activities/src
COPY api/src api/src
COPY worker/src worker/src
RUN mvn -B -q -DskipTests package

# ---- runtime -------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 herald \
 && useradd --system --uid 10001 --gid herald --home-dir /app --no-create-home --shell /usr/sbin/nologin herald
WORKDIR /app
COPY --from=build /src/worker/target/herald.jar /app/herald.jar
USER 10001:10001
# 8080: the API (herald server); 8081: the admin port (health checks, metrics).
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/herald.jar"]
CMD ["server"]
