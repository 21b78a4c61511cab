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

    internal static RegistryCredentials? ToCredentials(AuthConfig? auth)
    {
        if (auth is null)
            return null;
        string? username = Empty(auth.Username);
        string? password = Empty(auth.Password);
        if (Empty(auth.Auth) is { } encoded)
            (username, password) = BasicAuth.Decode(encoded);
        return username is null && password is null && Empty(auth.IdentityToken) is null && Empty(auth.RegistryToken) is null
            ? null
            : new RegistryCredentials(username, password, Empty(auth.IdentityToken), Empty(auth.RegistryToken));
    }

    private static string? Empty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
