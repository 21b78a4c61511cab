using Caisson.Core.Oci;
using Caisson.Core.References;

namespace Caisson.Images.Distribution;

/// <summary>
/// A manifest or index fetched for a reference: its descriptor (digest verified), its bytes, and the endpoint that
/// served it (a mirror or the registry itself, as a base URL).
/// </summary>
public sealed record ResolvedManifest(ImageReference Reference, Descriptor Descriptor, byte[] Content, string Endpoint);
