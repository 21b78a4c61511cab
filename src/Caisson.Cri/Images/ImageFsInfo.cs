using Caisson.Api.Cri;
using Caisson.Core.Time;
using Grpc.Core;

namespace Caisson.Cri.Images;

public sealed partial class CriImageService
{
    public override Task<ImageFsInfoResponse> ImageFsInfo(ImageFsInfoRequest request, ServerCallContext context)
    {
        var usage = FileSystemUsage.Measure(_images.Snapshotter.Root);
        var response = new ImageFsInfoResponse();
        response.ImageFilesystems.Add(new FilesystemUsage
        {
            Timestamp = UnixTime.Nanoseconds(usage.Timestamp),
            FsId = new FilesystemIdentifier { Mountpoint = _images.Snapshotter.Root },
            UsedBytes = new UInt64Value { Value = (ulong)usage.UsedBytes },
            InodesUsed = new UInt64Value { Value = (ulong)usage.InodesUsed },
        });
        return Task.FromResult(response);
    }
}
