using Caisson.Api.V1;

namespace Caisson.Cli.Progress;

/// <summary>Shows a pull's progress messages as they arrive.</summary>
internal interface IPullProgressView
{
    void Update(PullProgress message);

    /// <summary>The stream ended (successfully or not): leave the output tidy.</summary>
    void Complete();
}
