-- The registry commands check these rules before they write; the indexes make the rules hold when two turns
-- race (two coordinators at the same moment, or several bot instances on one database). Component names, like site names, are unique in any case.
CREATE UNIQUE INDEX ux_components_name ON components (lower(name));
CREATE UNIQUE INDEX ux_commitments_active ON commitments (site_id, lower(component), lower(coalesce(os, '')), lower(coalesce(arch, '')))
    WHERE ended_at IS NULL;
CREATE UNIQUE INDEX ux_site_admins_active ON site_admins (site_id, user_id) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX ux_role_grants_active ON role_grants (user_id, role) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX ux_engagement_requests_pending ON engagement_requests (admin_user_id, lower(site_name), lower(component))
    WHERE state = 'Pending';
