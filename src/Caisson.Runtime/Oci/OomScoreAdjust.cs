using System.Globalization;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>
/// oom_score_adj rules: -1000..1000, and never below the daemon's own value, because lowering it needs
/// CAP_SYS_RESOURCE, which root lacks on some hosts (runc then fails obscurely); containerd's restrict_oom_score_adj.
/// </summary>
internal static class OomScoreAdjust
{
    public static int ReadOwn()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/self/oom_score_adj").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public static int Clamp(long requested, int floor, List<string> warnings)
    {
        if (requested is < -1000 or > 1000)
            throw new InvalidArgumentException($"resources.oom_score_adj: {requested} is outside -1000..1000");
        if (requested >= floor)
            return (int)requested;
        warnings.Add($"oom_score_adj {requested} raised to {floor}, the daemon's own value, which it cannot go below");
        return floor;
    }
}
