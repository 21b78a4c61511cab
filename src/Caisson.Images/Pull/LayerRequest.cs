using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Core.References;
using Caisson.Images.Distribution;

namespace Caisson.Images.Pull;

/// <summary>One layer a pull needs: where to fetch it, what it must unpack to, and where it sits in the stack.</summary>
internal sealed record LayerRequest(
    ImageReference Repository,
    Descriptor Blob,
    Digest BlobDigest,
    Digest DiffId,
    Digest ChainId,
    Digest? ParentChainId,
    RegistryCredentials? Credentials,
    string LeaseId);
