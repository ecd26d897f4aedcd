# The callstream image: the distribution built by `mvn package` (cli/target/callstream), on a JRE 21.
# Build it with:  mvn -B package -DskipTests && docker build -t callstream .
# Run one part per container: `gateway`, `topology`, or a one-shot command (`topics create`, ...).
FROM eclipse-temurin:21-jre

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl pocketsphinx pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/callstream --create-home callstream

COPY cli/target/callstream/bin /opt/callstream/bin
COPY cli/target/callstream/conf /opt/callstream/conf
COPY cli/target/callstream/lib /opt/callstream/lib
# The Connect plugin, for a worker that mounts this image's folder (see docker-compose.yml).
COPY sinks/target/callstream-sinks-*-connect-plugin.jar /opt/callstream/connect-plugins/callstream-sinks/

ENV JAVA_HOME=/opt/java/openjdk \
    DJL_CACHE_DIR=/var/lib/callstream/djl \
    CALLSTREAM_STATE_DIR=/var/lib/callstream/streams \
    CALLSTREAM_BLOB_DIR=/var/lib/callstream/blobs
USER callstream
WORKDIR /var/lib/callstream
EXPOSE 8080 8081
ENTRYPOINT ["/opt/callstream/bin/callstream"]
CMD ["--help"]
