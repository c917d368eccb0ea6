using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rollout.Bot.Hosting;

/// <summary>
/// One named, ordered contribution of a feature to a shared surface (a bulletin section, a status-page section, a
/// calendar source), registered explicitly: grep <c>AddContribution</c> finds them all. <see cref="Bind"/> gets the
/// feature's services once, so a contribution's dependencies show in its registration.
/// </summary>
public sealed record Contribution<T>(string Name, int Order, Func<IServiceProvider, T> Bind) where T : Delegate;

/// <summary>Every contribution of one kind, in order; a duplicate name stops the bot at start-up.</summary>
public sealed class Contributions<T> where T : Delegate
{
    private readonly Lazy<IReadOnlyList<(string Name, T Run)>> _bound;

    public Contributions(IEnumerable<Contribution<T>> contributions, IServiceProvider services)
    {
        var all = contributions.OrderBy(c => c.Order).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        foreach (var duplicate in all.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new InvalidOperationException($"'{duplicate.Key}' is registered twice as a {typeof(T).Name}.");
        // Bound on first use: contributions read services that may themselves be built from registries.
        _bound = new(() => all.Select(c => (c.Name, c.Bind(services))).ToList());
    }

    public IReadOnlyList<(string Name, T Run)> All => _bound.Value;
}

public static class ContributionRegistration
{
    public static IServiceCollection AddContribution<T>(this IServiceCollection services, string name, int order, Func<IServiceProvider, T> bind)
        where T : Delegate
    {
        services.AddSingleton(new Contribution<T>(name, order, bind));
        services.TryAddSingleton<Contributions<T>>();
        return services;
    }
}
