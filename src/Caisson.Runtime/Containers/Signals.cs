using System.Globalization;

namespace Caisson.Runtime.Containers;

/// <summary>Signal names as images give them (SIGTERM, TERM, 15) to numbers (x86-64/arm64 Linux).</summary>
internal static class Signals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["KILL"] = 9, ["USR1"] = 10, ["USR2"] = 12, ["TERM"] = 15,
        ["CONT"] = 18, ["STOP"] = 19, ["WINCH"] = 28, ["PWR"] = 30,
    };

    public static bool TryParse(string text, out int number)
    {
        var name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        if (Numbers.TryGetValue(name, out number))
            return true;
        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is > 0 and < 65;
    }
}
