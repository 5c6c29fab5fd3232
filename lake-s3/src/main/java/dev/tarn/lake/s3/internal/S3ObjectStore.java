package dev.tarn.lake.s3.internal;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.spi.Keys;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.PendingWrite;
import dev.tarn.lake.storage.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An object store in an S3 bucket under a key prefix, on the AWS SDK for Java v2 with the Apache
 * HTTP client.
 *
 * <p>How the SPI's contract is kept:
 *
 * <ul>
 *   <li><b>Whole objects.</b> Small writes are buffered and sent with one PutObject on commit;
 *       larger ones become a multipart upload (at most two parts in memory: one uploading, one
 *       filling), completed on commit. S3 shows an object only once the PUT or the
 *       CompleteMultipartUpload has succeeded.
 *   <li><b>Put-if-absent.</b> {@link WriteMode#CREATE} sends {@code If-None-Match: *} on the
 *       PutObject or the CompleteMultipartUpload; S3 answers 412 to all but the first.
 *   <li><b>Ambiguous outcomes.</b> Every write carries a random write id in its user metadata
 *       ({@code x-amz-meta-tarn-write-id}). When a write's outcome is unknown (a timeout or a
 *       server error after the request went out, or a 412 that may answer the SDK's own retry of a
 *       write that had already succeeded), the object is read back: if it carries this write's id,
 *       the write happened; if it carries another's, a CREATE lost; if there is none, the write is
 *       tried again. Nothing is ever guessed.
 *   <li><b>Order.</b> ListObjectsV2 returns keys in UTF-8 byte order, the order the SPI promises.
 * </ul>
 */
public final class S3ObjectStore implements ObjectStore {
    /** User-metadata key holding the id of the write that created an object. */
    static final String WRITE_ID = "tarn-write-id";

    private static final int AMBIGUITY_ROUNDS = 4;

    private final S3Settings settings;
    private final S3Client s3;
    private final Errors errors;
    private final String bucket;
    private final String prefix;
    private final ExecutorService uploads;

    S3ObjectStore(S3Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
        this.errors = new Errors(settings);
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        AtomicInteger n = new AtomicInteger();
        this.uploads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "tarn-s3-upload-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Opens a store and checks that its bucket can be reached with the credentials at hand. */
    public static S3ObjectStore open(S3Settings settings) {
        S3Client client = client(settings);
        S3ObjectStore store = new S3ObjectStore(settings, client);
        try {
            store.checkBucket();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Builds the SDK client: Apache HTTP, standard retries with backoff, region, endpoint and
     * credentials.
     *
     * <p>The Apache 4 client ({@code apache-client}) is deprecated as of SDK 2.56 in favour of
     * {@code apache5-client}; it is the client whose put-if-absent races were measured exclusive
     * against s3proxy (the url-connection client misreported winners), so it stays until the Apache
     * 5 client has been through the same tests.
     */
    @SuppressWarnings("deprecation")
    static S3Client client(S3Settings s) {
        ApacheHttpClient.Builder http =
                ApacheHttpClient.builder()
                        .maxConnections(s.maxConnections())
                        .connectionTimeout(s.connectTimeout())
                        .socketTimeout(s.socketTimeout())
                        .tcpKeepAlive(true);
        S3ClientBuilder b =
                S3Client.builder()
                        .httpClientBuilder(http)
                        .region(s.region())
                        .forcePathStyle(s.pathStyle())
                        .credentialsProvider(credentials(s))
                        .overrideConfiguration(
                                c ->
                                        c.retryStrategy(
                                                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                                        .maxAttempts(s.maxAttempts())
                                                        .build()));
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.accessKeyId() != null) {
            AwsCredentials c =
                    s.sessionToken() != null
                            ? AwsSessionCredentials.create(
                                    s.accessKeyId(), s.secretAccessKey(), s.sessionToken())
                            : AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey());
            return StaticCredentialsProvider.create(c);
        }
        if (s.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(s.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public S3Settings settings() {
        return settings;
    }

    private void checkBucket() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 403 || e.statusCode() == 400) {
                // A HEAD answer has no body, so no error code: a listing says which credential
                // problem it is.
                try {
                    s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1));
                    return; // may list, only not HEAD the bucket: good enough for a lake
                } catch (SdkException listing) {
                    throw errors.translate(listing, Errors.CHECK_BUCKET);
                }
            }
            throw errors.translate(e, Errors.CHECK_BUCKET);
        } catch (SdkException e) {
            throw errors.translate(e, Errors.CHECK_BUCKET);
        }
    }

    private String full(String key) {
        return prefix + Keys.check(key);
    }

    @Override
    public String location() {
        return settings.location();
    }

    @Override
    public InputStream get(String key) {
        String k = full(key);
        try {
            return new ObjectStream(s3.getObject(r -> r.bucket(bucket).key(k)));
        } catch (S3Exception e) {
            throw notFoundOr(e, key, "read " + key);
        } catch (SdkException e) {
            throw errors.translate(e, "read " + key);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        String k = full(key);
        if (length == 0) {
            if (stat(key).isEmpty()) {
                throw new ObjectNotFoundException(key);
            }
            return InputStream.nullInputStream();
        }
        String range =
                length > Long.MAX_VALUE - offset
                        ? "bytes=" + offset + "-"
                        : "bytes=" + offset + "-" + (offset + length - 1);
        try {
            return new ObjectStream(s3.getObject(r -> r.bucket(bucket).key(k).range(range)));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream(); // the object exists and ends before offset
            }
            throw notFoundOr(e, key, "read " + key);
        } catch (SdkException e) {
            throw errors.translate(e, "read " + key);
        }
    }

    /**
     * An object's bytes. Closed before its end, it aborts the connection instead of letting the
     * HTTP client read the rest of a possibly large object just to reuse the connection.
     */
    private static final class ObjectStream extends java.io.FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean ended;

        ObjectStream(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    private RuntimeException notFoundOr(S3Exception e, String key, String what) {
        if (e.statusCode() == 404 && !Errors.code(e).equals("NoSuchBucket")) {
            return new ObjectNotFoundException(key);
        }
        return errors.translate(e, what);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return head(key).map(h -> statOf(key, h));
    }

    private Optional<HeadObjectResponse> head(String key) {
        String k = full(key);
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(k)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !Errors.code(e).equals("NoSuchBucket")) {
                return Optional.empty();
            }
            throw errors.translate(e, "stat " + key);
        } catch (SdkException e) {
            throw errors.translate(e, "stat " + key);
        }
    }

    private static ObjectStat statOf(String key, HeadObjectResponse h) {
        return new ObjectStat(
                key,
                h.contentLength() == null ? 0 : h.contentLength(),
                h.lastModified() == null ? Instant.EPOCH : h.lastModified(),
                etag(h.eTag()));
    }

    private static String etag(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    @Override
    public ObjectWriter newWriter(String key, WriteMode mode) {
        return new S3Writer(key, full(key), mode);
    }

    @Override
    public List<ObjectStat> list(String listPrefix, String startAfter, int limit) {
        String p = prefix + Keys.checkPrefix(listPrefix);
        List<ObjectStat> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(p);
        if (startAfter != null && !startAfter.isEmpty()) {
            req.startAfter(prefix + startAfter);
        }
        String token = null;
        try {
            do {
                int want = (int) Math.min(1000, Math.max(1, (long) limit - out.size()));
                ListObjectsV2Response resp =
                        s3.listObjectsV2(req.continuationToken(token).maxKeys(want).build());
                for (S3Object o : resp.contents()) {
                    String rel = o.key().substring(prefix.length());
                    if (!validKey(rel)) {
                        continue; // folder markers and other tools' '.'-files are not objects of
                        // this store
                    }
                    out.add(
                            new ObjectStat(
                                    rel,
                                    o.size() == null ? 0 : o.size(),
                                    o.lastModified() == null ? Instant.EPOCH : o.lastModified(),
                                    etag(o.eTag())));
                    if (out.size() >= limit) {
                        return out;
                    }
                }
                token =
                        Boolean.TRUE.equals(resp.isTruncated())
                                ? resp.nextContinuationToken()
                                : null;
            } while (token != null);
        } catch (SdkException e) {
            throw errors.translate(
                    e,
                    "list "
                            + (listPrefix == null || listPrefix.isEmpty()
                                    ? "the lake"
                                    : listPrefix));
        }
        return out;
    }

    private static boolean validKey(String rel) {
        try {
            Keys.check(rel);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public boolean delete(String key) {
        String k = full(key);
        if (head(key).isEmpty()) {
            return false;
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(k));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !Errors.code(e).equals("NoSuchBucket")) {
                return false;
            }
            throw errors.translate(e, "delete " + key);
        } catch (SdkException e) {
            throw errors.translate(e, "delete " + key);
        }
    }

    /**
     * Unfinished multipart uploads under this store's prefix; whether their writer lives cannot be
     * told.
     */
    @Override
    public List<PendingWrite> pendingWrites() {
        List<PendingWrite> out = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        try {
            while (true) {
                String km = keyMarker;
                String im = idMarker;
                ListMultipartUploadsResponse resp =
                        s3.listMultipartUploads(
                                r ->
                                        r.bucket(bucket)
                                                .prefix(prefix)
                                                .keyMarker(km)
                                                .uploadIdMarker(im));
                for (MultipartUpload u : resp.uploads()) {
                    String rel = u.key().substring(prefix.length());
                    out.add(
                            new PendingWrite(
                                    u.uploadId(),
                                    rel,
                                    stagedBytes(u),
                                    u.initiated() == null ? Instant.EPOCH : u.initiated(),
                                    true));
                }
                if (!Boolean.TRUE.equals(resp.isTruncated())) {
                    break;
                }
                keyMarker = resp.nextKeyMarker();
                idMarker = resp.nextUploadIdMarker();
                if (keyMarker == null && idMarker == null) {
                    break;
                }
            }
        } catch (SdkException e) {
            throw errors.translate(e, "list unfinished uploads");
        }
        return out;
    }

    private long stagedBytes(MultipartUpload u) {
        try {
            ListPartsResponse parts =
                    s3.listParts(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
            long n = 0;
            for (Part p : parts.parts()) {
                n += p.size() == null ? 0 : p.size();
            }
            return n;
        } catch (S3Exception e) {
            return 0; // finished or aborted while we looked
        }
    }

    @Override
    public void abandon(PendingWrite write) {
        if (write.key() == null) {
            throw new IllegalArgumentException("not a pending write of this store: " + write.id());
        }
        abort(prefix + write.key(), write.id());
    }

    private void abort(String fullKey, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(fullKey).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw errors.translate(
                        e, "abort the upload of " + fullKey.substring(prefix.length()));
            }
        } catch (SdkException e) {
            throw errors.translate(e, "abort the upload of " + fullKey.substring(prefix.length()));
        }
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        s3.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + settings + "]";
    }

    // ---------------------------------------------------------------------------------------------------- writing

    private enum Owner {
        OURS,
        OTHER
    }

    /** A buffer with its filled length. */
    private record Chunk(byte[] bytes, int length) {
        RequestBody body() {
            return RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(bytes, 0, length),
                    length,
                    "application/octet-stream");
        }
    }

    private final class S3Writer extends ObjectWriter {
        private final String key;
        private final String fullKey;
        private final WriteMode mode;
        private final String writeId = UUID.randomUUID().toString();
        private final int partSize = settings.partSize();
        private byte[] buf = new byte[8192];
        private int len;
        private long size;
        private boolean done;
        // multipart state
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private Future<CompletedPart> inFlight;
        private byte[] spare; // a part buffer free for filling
        private byte[] pendingSpare; // the buffer of the part in flight, free once it has gone up

        S3Writer(String key, String fullKey, WriteMode mode) {
            this.key = key;
            this.fullKey = fullKey;
            this.mode = mode;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            if (done) {
                throw new IOException("writer for " + key + " is closed");
            }
            java.util.Objects.checkFromIndexSize(off, n, b.length);
            while (n > 0) {
                if (len == partSize) {
                    flushPart();
                }
                int take = Math.min(n, partSize - len);
                if (len + take > buf.length) {
                    buf =
                            java.util.Arrays.copyOf(
                                    buf,
                                    (int)
                                            Math.min(
                                                    partSize,
                                                    Math.max((long) len + take, 2L * buf.length)));
                }
                System.arraycopy(b, off, buf, len, take);
                len += take;
                size += take;
                off += take;
                n -= take;
            }
        }

        private Map<String, String> metadata() {
            return Map.of(WRITE_ID, writeId);
        }

        /**
         * Sends the full buffer as the next part (starting the upload first), keeping one part in
         * flight.
         */
        private void flushPart() {
            if (uploadId == null) {
                CreateMultipartUploadRequest.Builder r =
                        CreateMultipartUploadRequest.builder()
                                .bucket(bucket)
                                .key(fullKey)
                                .metadata(metadata())
                                .contentType("application/octet-stream")
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32);
                encryption(r);
                try {
                    uploadId = s3.createMultipartUpload(r.build()).uploadId();
                } catch (SdkException e) {
                    throw errors.translate(e, "write " + key);
                }
            }
            awaitInFlight();
            Chunk chunk = new Chunk(buf, len);
            int number = parts.size() + 1;
            String id = uploadId;
            inFlight = uploads.submit(() -> uploadPart(id, number, chunk));
            buf = spare != null ? spare : new byte[partSize];
            spare = null;
            len = 0;
            // the buffer just sent comes back as the spare once its upload has finished (see
            // awaitInFlight)
            pendingSpare = chunk.bytes();
        }

        private CompletedPart uploadPart(String id, int number, Chunk chunk) {
            UploadPartResponse resp =
                    s3.uploadPart(
                            r ->
                                    r.bucket(bucket)
                                            .key(fullKey)
                                            .uploadId(id)
                                            .partNumber(number)
                                            .contentLength((long) chunk.length())
                                            .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                            chunk.body());
            // the upload was started with CRC32, so completing it names each part's CRC32 (S3
            // checks them)
            return CompletedPart.builder()
                    .partNumber(number)
                    .eTag(resp.eTag())
                    .checksumCRC32(resp.checksumCRC32())
                    .build();
        }

        private void awaitInFlight() {
            if (inFlight == null) {
                return;
            }
            Future<CompletedPart> f = inFlight;
            inFlight = null;
            try {
                parts.add(f.get());
                spare = pendingSpare;
                pendingSpare = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(
                        "interrupted while uploading " + key,
                        new java.io.InterruptedIOException("interrupted while uploading " + key));
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof SdkException se) {
                    throw errors.translate(se, "write " + key);
                }
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw Errors.io("cannot upload a part of " + key + " to " + location(), c);
            }
        }

        private void encryption(CreateMultipartUploadRequest.Builder r) {
            if (settings.sse() == S3Settings.Sse.S3) {
                r.serverSideEncryption(ServerSideEncryption.AES256);
            } else if (settings.sse() == S3Settings.Sse.KMS) {
                r.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                if (settings.kmsKeyId() != null) {
                    r.ssekmsKeyId(settings.kmsKeyId());
                }
            }
        }

        private void encryption(PutObjectRequest.Builder r) {
            if (settings.sse() == S3Settings.Sse.S3) {
                r.serverSideEncryption(ServerSideEncryption.AES256);
            } else if (settings.sse() == S3Settings.Sse.KMS) {
                r.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                if (settings.kmsKeyId() != null) {
                    r.ssekmsKeyId(settings.kmsKeyId());
                }
            }
        }

        @Override
        public ObjectStat commit() {
            if (done) {
                throw new IllegalStateException("writer for " + key + " already finished");
            }
            done = true;
            boolean published = false;
            try {
                ObjectStat stat = uploadId == null ? putWhole() : completeMultipart();
                published = true;
                return stat;
            } finally {
                if (!published && uploadId != null) {
                    abortQuietly();
                }
                release();
            }
        }

        private ObjectStat putWhole() {
            Chunk chunk = new Chunk(buf, len);
            PutObjectRequest.Builder r =
                    PutObjectRequest.builder()
                            .bucket(bucket)
                            .key(fullKey)
                            .contentLength((long) len)
                            .metadata(metadata())
                            .contentType("application/octet-stream");
            if (mode == WriteMode.CREATE) {
                r.ifNoneMatch("*");
            }
            encryption(r);
            PutObjectRequest req = r.build();
            return publish(
                    () -> {
                        PutObjectResponse resp = s3.putObject(req, chunk.body());
                        return new ObjectStat(key, size, serverTime(resp), etag(resp.eTag()));
                    },
                    false);
        }

        private ObjectStat completeMultipart() {
            awaitInFlight();
            if (len > 0) {
                // the last part goes up from this thread: no second buffer needed
                try {
                    parts.add(uploadPart(uploadId, parts.size() + 1, new Chunk(buf, len)));
                } catch (SdkException e) {
                    throw errors.translate(e, "write " + key);
                }
                len = 0;
            }
            List<CompletedPart> all = List.copyOf(parts);
            String id = uploadId;
            return publish(
                    () -> {
                        CompleteMultipartUploadResponse resp =
                                s3.completeMultipartUpload(
                                        r -> {
                                            r.bucket(bucket)
                                                    .key(fullKey)
                                                    .uploadId(id)
                                                    .multipartUpload(m -> m.parts(all));
                                            if (mode == WriteMode.CREATE) {
                                                r.ifNoneMatch("*");
                                            }
                                        });
                        return new ObjectStat(key, size, serverTime(resp), etag(resp.eTag()));
                    },
                    true);
        }

        /**
         * Runs the publishing request, resolving an unknown outcome by reading the object back and
         * checking its write id.
         */
        private ObjectStat publish(
                java.util.function.Supplier<ObjectStat> attempt, boolean multipart) {
            for (int round = 1; ; round++) {
                SdkException failure;
                try {
                    return attempt.get();
                } catch (S3Exception e) {
                    int status = e.statusCode();
                    String code = Errors.code(e);
                    if (status == 412 && mode == WriteMode.CREATE) {
                        // Someone else's object, or ours from an attempt whose answer was lost and
                        // then retried.
                        return readBack(e)
                                .filter(s -> s.owner == Owner.OURS)
                                .map(s -> s.stat)
                                .orElseThrow(() -> new ObjectExistsException(key));
                    }
                    if (multipart && status == 404 && code.equals("NoSuchUpload")) {
                        // Completed by an earlier attempt whose answer was lost, or aborted by
                        // someone else.
                        Resolved r = readBack(e).orElse(null);
                        if (r != null && r.owner == Owner.OURS) {
                            return r.stat;
                        }
                        if (r != null && r.owner == Owner.OTHER && mode == WriteMode.CREATE) {
                            throw new ObjectExistsException(key);
                        }
                        throw Errors.io(
                                "the multipart upload of "
                                        + key
                                        + " to "
                                        + location()
                                        + " was aborted before it could be completed (by 'lake doctor --repair' or a bucket"
                                        + " lifecycle rule?); nothing was written",
                                e);
                    }
                    if (!Errors.ambiguous(e)) {
                        throw errors.translate(e, "write " + key);
                    }
                    failure = e;
                } catch (SdkException e) {
                    if (!Errors.ambiguous(e) || Errors.neverSent(e)) {
                        throw errors.translate(e, "write " + key);
                    }
                    failure = e;
                }
                Resolved r = readBack(failure).orElse(null);
                if (r != null && r.owner == Owner.OURS) {
                    return r.stat;
                }
                if (r != null && r.owner == Owner.OTHER && mode == WriteMode.CREATE) {
                    throw new ObjectExistsException(key);
                }
                if (round >= AMBIGUITY_ROUNDS) {
                    RuntimeException t = errors.translate(failure, "write " + key);
                    t.addSuppressed(
                            new TarnException(
                                    ErrorCode.IO_ERROR,
                                    "read back after the failure: "
                                            + key
                                            + (r == null
                                                    ? " is not there"
                                                    : " holds another writer's object")));
                    throw t;
                }
                // Not there (or overwritten by another writer): the write did not happen. Try it
                // again.
                sleep(round);
            }
        }

        private record Resolved(Owner owner, ObjectStat stat) {}

        /**
         * Reads the object back to learn whether this write happened. While the server cannot be
         * reached, keeps trying until the resolve timeout: giving up early would leave the caller
         * unable to tell a commit that happened from one that did not.
         */
        private Optional<Resolved> readBack(SdkException failure) {
            long deadline = System.nanoTime() + settings.resolveTimeout().toNanos();
            for (int round = 1; ; round++) {
                Optional<HeadObjectResponse> h;
                try {
                    h = head(key);
                } catch (RuntimeException e) {
                    boolean transientFailure = Errors.transientCause(e);
                    if (transientFailure && System.nanoTime() < deadline) {
                        sleep(Math.min(round, 4));
                        continue;
                    }
                    RuntimeException t = errors.translate(failure, "write " + key);
                    UncheckedIOException u =
                            Errors.io(
                                    "cannot tell whether "
                                            + key
                                            + " was written to "
                                            + location()
                                            + ": the write failed ("
                                            + Errors.oneLine(t.getMessage())
                                            + ") and reading"
                                            + " it back failed too"
                                            + (transientFailure
                                                    ? " for "
                                                            + settings.resolveTimeout().toSeconds()
                                                            + "s (store option resolve-timeout)"
                                                    : "")
                                            + "; 'lake doctor' checks the"
                                            + " lake once the server answers again",
                                    failure);
                    u.addSuppressed(e);
                    throw u;
                }
                return h.map(
                        resp -> {
                            String id =
                                    resp.metadata().entrySet().stream()
                                            .filter(e -> e.getKey().equalsIgnoreCase(WRITE_ID))
                                            .map(Map.Entry::getValue)
                                            .findFirst()
                                            .orElse(null);
                            return new Resolved(
                                    writeId.equals(id) ? Owner.OURS : Owner.OTHER,
                                    statOf(key, resp));
                        });
            }
        }

        private void sleep(int round) {
            try {
                Thread.sleep(
                        Math.min(2000, 100L << round) + ThreadLocalRandom.current().nextInt(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(
                        "interrupted while writing " + key,
                        new java.io.InterruptedIOException("interrupted while writing " + key));
            }
        }

        private void abortQuietly() {
            Future<CompletedPart> f = inFlight;
            inFlight = null;
            if (f != null) {
                try {
                    f.get(); // let the part finish, so the abort frees it too
                } catch (Exception ignored) {
                    // aborting anyway
                }
            }
            try {
                abort(fullKey, uploadId);
            } catch (RuntimeException ignored) {
                // an unfinished upload is reported by pendingWrites() and removed by doctor
            }
        }

        private void release() {
            buf = null;
            spare = null;
            pendingSpare = null;
            len = 0;
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                if (uploadId != null) {
                    abortQuietly();
                }
                release();
            }
        }
    }

    /**
     * The server's clock at the response, close to the object's Last-Modified; the local clock if
     * absent.
     */
    private static Instant serverTime(SdkResponse resp) {
        Optional<String> date =
                resp.sdkHttpResponse() == null
                        ? Optional.empty()
                        : resp.sdkHttpResponse().firstMatchingHeader("Date");
        if (date.isPresent()) {
            try {
                return ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException ignored) {
                // below
            }
        }
        return Instant.now();
    }
}
