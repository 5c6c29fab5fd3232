package dev.tarn.lake.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of the test server that can lose answers: after a request whose text
 * contains a trigger has gone through (so the server has carried it out), it closes the client's
 * connection instead of passing on the server's final response. The client sees a dropped
 * connection for a request that took effect: the ambiguous outcome of a timeout after sending. It
 * can also go down altogether (every connection refused or cut).
 */
final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicReference<String> trigger = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger throttle = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong forwarded =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile long downAfter = -1;
    private volatile boolean downAfterLoss;
    private final AtomicReference<String> refused = new AtomicReference<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean closed;

    FaultyProxy(URI target) throws IOException {
        this.upstream = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "faulty-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * The next request whose bytes contain {@code text} is carried out, but its answer is lost.
     * One-shot.
     */
    void loseAnswerTo(String text) {
        trigger.set(text);
    }

    /**
     * Like {@link #loseAnswerTo}, and the proxy goes down as the answer is lost: nothing can be
     * read back.
     */
    void loseAnswerThenGoDown(String text) {
        downAfterLoss = true;
        trigger.set(text);
    }

    /**
     * The next {@code times} requests whose bytes contain {@code text} never reach the server:
     * their connection is cut before anything is forwarded, so the write does not happen (though
     * the client cannot know).
     */
    void refuse(String text, int times) {
        refusals.set(times);
        refused.set(text);
    }

    /** The next {@code n} GET or HEAD requests are answered "503 Slow Down" by the proxy itself. */
    void throttleReads(int n) {
        throttle.set(n);
    }

    /** How many requests were throttled so far. */
    int throttled() {
        return throttled.get();
    }

    /** How many answers were lost so far. */
    int answersLost() {
        return dropped.get();
    }

    /**
     * Goes down once {@code bytes} more request bytes have gone through: the middle of an upload.
     */
    void downAfterRequestBytes(long bytes) {
        downAfter = forwarded.get() + bytes;
    }

    /** While down, every connection is cut at once: as if the server were unreachable. */
    void down(boolean down) {
        this.down = down;
        if (down) {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                Socket up = new Socket();
                up.connect(upstream, 5000);
                sockets.add(client);
                sockets.add(up);
                Connection c = new Connection(client, up);
                start(() -> c.requests(), "faulty-proxy-requests");
                start(() -> c.responses(), "faulty-proxy-responses");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private final class Connection {
        final Socket client;
        final Socket up;
        volatile boolean loseAnswer;

        Connection(Socket client, Socket up) {
            this.client = client;
            this.up = up;
        }

        void requests() {
            StringBuilder tail = new StringBuilder();
            try (InputStream in = client.getInputStream();
                    OutputStream out = up.getOutputStream()) {
                byte[] b = new byte[65536];
                for (int n; (n = in.read(b)) > 0; ) {
                    if (throttle.get() > 0) {
                        String head = new String(b, 0, Math.min(n, 8), StandardCharsets.ISO_8859_1);
                        if ((head.startsWith("GET ") || head.startsWith("HEAD "))
                                && throttle.getAndDecrement() > 0) {
                            throttled.incrementAndGet();
                            String body =
                                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                                            + "<Message>Please reduce your request rate.</Message><RequestId>t</RequestId>"
                                            + "</Error>";
                            boolean isHead = head.startsWith("HEAD ");
                            String resp =
                                    "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
                                            + "Content-Length: "
                                            + (isHead ? 0 : body.length())
                                            + "\r\nConnection: close\r\n\r\n"
                                            + (isHead ? "" : body);
                            OutputStream c = client.getOutputStream();
                            c.write(resp.getBytes(StandardCharsets.ISO_8859_1));
                            c.flush();
                            break; // close this connection; the client retries on a new one
                        }
                    }
                    String r = refused.get();
                    if (r != null && new String(b, 0, n, StandardCharsets.ISO_8859_1).contains(r)) {
                        if (refusals.decrementAndGet() <= 0) {
                            refused.set(null);
                        }
                        break; // cut before forwarding a byte
                    }
                    String t = trigger.get();
                    if (t != null) {
                        tail.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                        if (tail.indexOf(t) >= 0 && trigger.compareAndSet(t, null)) {
                            loseAnswer = true;
                        }
                        if (tail.length() > 4096) {
                            tail.delete(0, tail.length() - 4096);
                        }
                    }
                    if (down) {
                        break;
                    }
                    out.write(b, 0, n);
                    out.flush();
                    long limit = downAfter;
                    if (limit >= 0 && forwarded.addAndGet(n) >= limit) {
                        downAfter = -1;
                        down(true);
                    } else if (limit < 0) {
                        forwarded.addAndGet(n);
                    }
                }
            } catch (IOException ignored) {
                // connection gone
            } finally {
                closeQuietly(client);
                closeQuietly(up);
            }
        }

        void responses() {
            try (InputStream in = up.getInputStream();
                    OutputStream out = client.getOutputStream()) {
                byte[] b = new byte[65536];
                for (int n; (n = in.read(b)) > 0; ) {
                    if (down) {
                        break;
                    }
                    if (loseAnswer) {
                        String head =
                                new String(b, 0, Math.min(n, 16), StandardCharsets.ISO_8859_1);
                        if (head.startsWith("HTTP/1.1 100")) {
                            out.write(
                                    b, 0,
                                    n); // "100 Continue" is no answer yet: the body has still to
                            // come
                            out.flush();
                            continue;
                        }
                        dropped.incrementAndGet();
                        if (downAfterLoss) {
                            downAfterLoss = false;
                            down(true);
                        }
                        break; // the final answer: lose it
                    }
                    out.write(b, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection gone
            } finally {
                closeQuietly(client);
                closeQuietly(up);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
