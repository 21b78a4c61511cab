using Caisson.Api.V1;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Distribution;
using Caisson.Images.Pull;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

public sealed partial class ImagesApi
{
    public override async Task Pull(PullRequest request, IServerStreamWriter<PullProgress> responseStream, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Reference))
            throw new InvalidArgumentException("pull: no image reference given");
        var platform = string.IsNullOrEmpty(request.Platform) ? null : Platform.Parse(request.Platform);
        var auth = request.Auth;
        var credentials = auth is null
            ? null
            : RegistryCredentials.FromAuthConfig(auth.Username, auth.Password, null, auth.IdentityToken, auth.RegistryToken);

        // Progress callbacks come from the puller's loop; the stream takes one write at a time.
        var writeLock = new SemaphoreSlim(1, 1);
        Task pending = Task.CompletedTask;
        void Report(PullProgressReport report)
        {
            if (!writeLock.Wait(0))
                return;
            var message = ToMessage(report);
            pending = responseStream.WriteAsync(message).ContinueWith(_ => writeLock.Release(), TaskScheduler.Default);
        }

        var view = await _images.PullAsync(request.Reference, credentials, platform, Report, context.CancellationToken).ConfigureAwait(false);
        await pending.ConfigureAwait(false);
        await writeLock.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        await responseStream.WriteAsync(new PullProgress
        {
            Reference = request.Reference,
            ImageId = view.Id.ToString(),
            ManifestDigest = view.Details.ManifestDigest.ToString(),
            Done = true,
            Layers = { view.Details.Manifest.Layers.Select(l => new Api.V1.LayerProgress { Digest = l.Digest, Size = l.Size, Downloaded = l.Size, State = "done" }) },
        }).ConfigureAwait(false);
    }

    private static PullProgress ToMessage(PullProgressReport report)
    {
        var message = new PullProgress { Reference = report.Reference };
        foreach (var layer in report.Layers)
        {
            message.Layers.Add(new Api.V1.LayerProgress
            {
                Digest = layer.Digest,
                Size = layer.Size,
                Downloaded = layer.Downloaded,
                State = layer.State.ToString().ToLowerInvariant(),
            });
        }

        return message;
    }
}
