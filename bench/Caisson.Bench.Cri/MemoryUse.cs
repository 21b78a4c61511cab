namespace Caisson.Bench.Cri;

/// <summary>Resident memory in KiB: RSS counts shared pages in full, PSS splits them between their users.</summary>
internal readonly record struct MemoryUse(long RssKiB, long PssKiB);
