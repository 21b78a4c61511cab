using Caisson.Core.Digests;

namespace Caisson.Images.Unpack;

/// <summary>What unpacking one layer produced: the digest of its uncompressed tar, its size and entry count.</summary>
public sealed record UnpackResult(Digest DiffId, long UncompressedSize, long EntryCount);
