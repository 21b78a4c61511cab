namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Hex as the RFCs print it: groups separated by spaces and newlines.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
}
