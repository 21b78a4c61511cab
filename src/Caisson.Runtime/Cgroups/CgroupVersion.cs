namespace Caisson.Runtime.Cgroups;

/// <summary>Which cgroup hierarchy the host runs; hybrid hosts (v1 controllers plus an empty v2 mount) count as V1.</summary>
internal enum CgroupVersion
{
    V1,
    V2,
}
