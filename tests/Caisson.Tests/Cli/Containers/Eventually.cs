namespace Caisson.Tests.Cli.Containers;

/// <summary>Polls a condition about a real container until it holds or a deadline passes.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} did not happen within {timeoutSeconds}s; last seen: {value}");
            await Task.Delay(100);
        }
    }
}
