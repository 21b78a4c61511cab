namespace Caisson.Daemon.Http2;

/// <summary>Decides whether an <c>:authority</c> or <c>host</c> value is a plain <c>host[:port]</c>.</summary>
/// <remarks>
/// Deliberately narrower than RFC 3986 and than Kestrel's own check: a reg-name of letters, digits and
/// <c>- . _ ~</c>, an IPv4 address, or a bracketed IPv6 literal, then optionally <c>:</c> and 1 to 5 digits.
/// Anything else (a socket path, <c>unix:...</c>, empty) gets replaced; replacing a value Kestrel would have taken is
/// harmless on a unix socket, where the authority names nothing, while letting through one it rejects is the bug.
/// </remarks>
internal static class HostAuthority
{
    public static ReadOnlySpan<byte> Replacement => "localhost"u8;

    public static bool IsValid(ReadOnlySpan<byte> authority)
    {
        ReadOnlySpan<byte> port;
        if (!authority.IsEmpty && authority[0] == (byte)'[')
        {
            int close = authority.IndexOf((byte)']');
            if (close < 2 || !IsIPv6Literal(authority[1..close]))
                return false;
            port = authority[(close + 1)..];
        }
        else
        {
            int colon = authority.IndexOf((byte)':');
            ReadOnlySpan<byte> host = colon < 0 ? authority : authority[..colon];
            if (host.IsEmpty || !AllRegNameCharacters(host))
                return false;
            port = colon < 0 ? [] : authority[colon..];
        }

        return port.IsEmpty || (port[0] == (byte)':' && port.Length is >= 2 and <= 6 && AllDigits(port[1..]));
    }

    private static bool AllRegNameCharacters(ReadOnlySpan<byte> host)
    {
        foreach (byte c in host)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'))
                return false;
        }

        return true;
    }

    private static bool IsIPv6Literal(ReadOnlySpan<byte> address)
    {
        foreach (byte c in address)
        {
            if (!(char.IsAsciiHexDigit((char)c) || c is (byte)':' or (byte)'.'))
                return false;
        }

        return true;
    }

    private static bool AllDigits(ReadOnlySpan<byte> text)
    {
        foreach (byte c in text)
        {
            if (!char.IsAsciiDigit((char)c))
                return false;
        }

        return true;
    }
}
