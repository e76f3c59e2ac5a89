package org.fedorabuild.hub.source;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the hub may fetch sources from. A build service must not be a way into its own network,
 * so by default every address that is not globally routable is refused: loopback, link-local, private
 * (RFC 1918, IPv6 unique-local), carrier-grade NAT, "this network", multicast, reserved and documentation
 * ranges, and IPv4 addresses embedded in IPv6 (mapped, NAT64, 6to4) by the IPv4 they carry.
 */
public final class AddressPolicy {
    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code a} is refused ("a loopback address"), or empty when it may be fetched from. */
    public Optional<String> refusal(InetAddress a) {
        if (allowPrivate) {
            return Optional.empty();
        }
        return Optional.ofNullable(kind(a));
    }

    static String kind(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            Inet4Address embedded = embeddedIpv4(b);
            if (embedded != null) {
                return kind(embedded);
            }
            int first = b[0] & 0xff;
            if (a.isLoopbackAddress()) {
                return "a loopback address";
            }
            if (a.isAnyLocalAddress()) {
                return "the unspecified address";
            }
            if (a.isLinkLocalAddress() || (first == 0xfe && (b[1] & 0xc0) == 0xc0)) {
                return "a link-local address";
            }
            if ((first & 0xfe) == 0xfc) {
                return "a private (unique-local) address";
            }
            if (a.isMulticastAddress()) {
                return "a multicast address";
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "a documentation address";
            }
            if ((first & 0xe0) != 0x20) {
                return "an address outside the global unicast range";
            }
            return null;
        }
        byte[] b = a.getAddress();
        int x = b[0] & 0xff;
        int y = b[1] & 0xff;
        if (x == 127) {
            return "a loopback address";
        }
        if (x == 0) {
            return "a 'this network' address";
        }
        if (x == 169 && y == 254) {
            return "a link-local address";
        }
        if (x == 10 || (x == 172 && y >= 16 && y <= 31) || (x == 192 && y == 168)) {
            return "a private address";
        }
        if (x == 100 && y >= 64 && y <= 127) {
            return "a shared (carrier-grade NAT) address";
        }
        if (x == 192 && y == 0 && (b[2] & 0xff) == 0) {
            return "a protocol-assignment address";
        }
        if (x == 198 && (y == 18 || y == 19)) {
            return "a benchmarking address";
        }
        if ((x == 192 && y == 0 && (b[2] & 0xff) == 2) || (x == 198 && y == 51 && (b[2] & 0xff) == 100)
                || (x == 203 && y == 0 && (b[2] & 0xff) == 113)) {
            return "a documentation address";
        }
        if (x >= 224) {
            return x < 240 ? "a multicast address" : "a reserved address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Inet4Address embeddedIpv4(byte[] b) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zero10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        try {
            if (mapped || compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return (Inet4Address) InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]});
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }
}
