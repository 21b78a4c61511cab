using BenchmarkDotNet.Attributes;
using Caisson.Core.Digests;
using Caisson.Core.References;

namespace Caisson.Benchmarks;

/// <summary>Parsing on the kubelet's hot paths (every ImageStatus parses a reference).</summary>
[MemoryDiagnoser]
public class ReferenceBenchmarks
{
    private const string DigestText = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Benchmark]
    public ImageReference ParseShortName() => ImageReference.Parse("busybox");

    [Benchmark]
    public ImageReference ParseFullReference() => ImageReference.Parse("registry.k8s.io/pause:3.10@" + DigestText);

    [Benchmark]
    public Digest ParseDigest() => Digest.Parse(DigestText);
}
