package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Who an admin client is, behind a reverse proxy or not, for every admin endpoint alike. */
class AdminAccessTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aLoopbackPeersForwardedForNamesTheClient() throws Exception {
        InetAddress loopback = ip("127.0.0.1");
        assertEquals(loopback, AdminAccess.clientAddress(loopback, null));
        assertEquals(ip("203.0.113.7"), AdminAccess.clientAddress(loopback, "10.0.0.1, 203.0.113.7"), "the entry the proxy added");
        assertEquals(ip("2001:db8::1"), AdminAccess.clientAddress(loopback, "2001:db8::1"));
        assertEquals(ip("192.0.2.1"), AdminAccess.clientAddress(loopback, "127.0.0.1, localhost"), "a name is not looked up nor trusted");
        assertEquals(ip("198.51.100.2"), AdminAccess.clientAddress(ip("198.51.100.2"), "127.0.0.1"), "a remote peer's header is not believed");
    }

    @Test
    void theUrlIsTheOneTheClientAskedFor() {
        var req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/import?resume=1");
        req.headers().set("Host", "relay.example.org");
        assertEquals("http://relay.example.org/api/import?resume=1", AdminAccess.absoluteUrl(req));
        req.headers().set("X-Forwarded-Proto", "https, http");
        assertEquals("https://relay.example.org/api/import?resume=1", AdminAccess.absoluteUrl(req));
    }
}
