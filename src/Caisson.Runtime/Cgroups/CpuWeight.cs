namespace Caisson.Runtime.Cgroups;

/// <summary>cgroup v1 cpu.shares [2, 262144] to v2 cpu.weight [1, 10000], on the same linear scale runc and crun use.</summary>
internal static class CpuWeight
{
    public const ulong MinShares = 2;
    public const ulong MaxShares = 262144;

    public static ulong FromShares(ulong shares)
    {
        var clamped = Math.Clamp(shares, MinShares, MaxShares);
        return 1 + ((clamped - 2) * 9999 / 262142);
    }
}
