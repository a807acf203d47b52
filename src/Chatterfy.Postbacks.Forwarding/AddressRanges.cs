using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>The address ranges a destination must not reach unless private networks are allowed.</summary>
internal static class AddressRanges
{
    // (network, prefix length) pairs in host byte order.
    private static readonly (uint Network, int Prefix)[] ForbiddenV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network", including 0.0.0.0
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 carrier-grade NAT (shared)
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local, including the cloud metadata service 169.254.169.254
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0000000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xC6120000, 15),  // 198.18.0.0/15 benchmarking
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, including broadcast 255.255.255.255
    ];

    // (network, prefix length) pairs; ::/96 and the NAT64 well-known prefix 64:ff9b::/96 are judged in code.
    private static readonly (UInt128 Network, int Prefix)[] ForbiddenV6 =
    [
        // Transition prefixes whose gateways would carry the connection to an IPv4 address of someone else's choosing
        // (2002:7f00:1:: is 127.0.0.1 through 6to4): refused whatever they embed.
        (new UInt128(0x0064_FF9B_0001_0000, 0), 48),  // 64:ff9b:1::/48 local-use NAT64
        (new UInt128(0x2002_0000_0000_0000, 0), 16),  // 2002::/16 6to4
        (new UInt128(0x2001_0000_0000_0000, 0), 32),  // 2001::/32 Teredo
        (new UInt128(0, 0xFFFF_0000_0000_0000), 96),  // ::ffff:0:0/96 IPv4-translated (SIIT)
        (new UInt128(0xFC00_0000_0000_0000, 0), 7),   // fc00::/7 unique-local, including fd00::/8 (and the fd00:ec2::254 metadata address)
        (new UInt128(0xFE80_0000_0000_0000, 0), 10),  // fe80::/10 link-local
        (new UInt128(0xFEC0_0000_0000_0000, 0), 10),  // fec0::/10 site-local (deprecated)
        (new UInt128(0xFF00_0000_0000_0000, 0), 8),   // ff00::/8 multicast
    ];

    /// <summary>Tells whether an address is loopback, private, shared, link-local, unique-local, multicast or otherwise reserved.</summary>
    internal static bool IsPrivateOrReserved(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            _ = address.TryWriteBytes(bytes, out _);
            return IsForbiddenV4((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivateOrReserved(address.MapToIPv4());
        }

        Span<byte> v6 = stackalloc byte[16];
        _ = address.TryWriteBytes(v6, out _);

        // ::/96 (unspecified, loopback ::1 and the deprecated IPv4-compatible form).
        if (v6[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return true;
        }

        // 64:ff9b::/96 NAT64 (the well-known prefix, which DNS64 hosts need): judge the embedded IPv4 address.
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && v6[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsForbiddenV4((uint)(v6[12] << 24 | v6[13] << 16 | v6[14] << 8 | v6[15]));
        }

        var bits = BinaryPrimitives.ReadUInt128BigEndian(v6);
        foreach (var (network, prefix) in ForbiddenV6)
        {
            if ((bits & (UInt128.MaxValue << (128 - prefix))) == network)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsForbiddenV4(uint address)
    {
        foreach (var (network, prefix) in ForbiddenV4)
        {
            var mask = uint.MaxValue << (32 - prefix);
            if ((address & mask) == network)
            {
                return true;
            }
        }

        return false;
    }
}
