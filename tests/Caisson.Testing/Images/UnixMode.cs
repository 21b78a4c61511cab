using System.Globalization;

namespace Caisson.Testing.Images;

/// <summary>
/// Writes file modes the way people read them. C# has no octal literals (<c>0755</c> is seven hundred and
/// fifty-five), so the builder takes <see cref="UnixFileMode"/> and this turns octal digits into one:
/// <c>UnixMode.Octal(0755)</c> or <c>UnixMode.Octal(1777)</c>.
/// </summary>
public static class UnixMode
{
    /// <summary>Reads the decimal digits of <paramref name="octalDigits"/> as octal (each must be 0-7).</summary>
    public static UnixFileMode Octal(int octalDigits)
    {
        var text = octalDigits.ToString(CultureInfo.InvariantCulture);
        if (octalDigits < 0 || text.Length > 4 || text.Any(c => c > '7'))
            throw new ArgumentOutOfRangeException(nameof(octalDigits), octalDigits, "write the mode as octal digits 0-7, at most four (e.g. 0755, 1777)");
        return (UnixFileMode)Convert.ToInt32(text, 8);
    }

    public static UnixFileMode Directory { get; } = Octal(0755);

    public static UnixFileMode File { get; } = Octal(0644);

    public static UnixFileMode Executable { get; } = Octal(0755);

    /// <summary>As a 4-digit octal string, for messages.</summary>
    public static string Format(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
