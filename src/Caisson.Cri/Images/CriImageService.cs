using Caisson.Api.Cri;
using Caisson.Images.Distribution;
using Caisson.Images.Store;

namespace Caisson.Cri.Images;

/// <summary>CRI runtime.v1 ImageService: one RPC per file beside this one.</summary>
public sealed partial class CriImageService(Caisson.Images.Store.ImageService images) : Api.Cri.ImageService.ImageServiceBase
{
    private readonly Caisson.Images.Store.ImageService _images = images;

    internal static Image ToCri(ImageView view)
    {
        var image = new Image
        {
            Id = view.Id.ToString(),
            Size = (ulong)view.Size,
            Spec = new ImageSpec { Image = view.Id.ToString() },
            Pinned = false,
        };
        image.RepoTags.AddRange(view.RepoTags);
        image.RepoDigests.AddRange(view.RepoDigests);
        var (uid, username) = ImageUser.Parse(view.Details.Config.Config?.User);
        if (uid is { } id)
            image.Uid = new Int64Value { Value = id };
        image.Username = username ?? "";
        return image;
    }

    internal static RegistryCredentials? ToCredentials(AuthConfig? auth) => auth is null
        ? null
        : RegistryCredentials.FromAuthConfig(auth.Username, auth.Password, auth.Auth, auth.IdentityToken, auth.RegistryToken);
}
