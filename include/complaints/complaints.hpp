// complaints/complaints.hpp - the whole C++ API.
#pragma once

#include "complaints/actor.hpp"
#include "complaints/clock.hpp"
#include "complaints/desk.hpp"
#include "complaints/errors.hpp"
#include "complaints/events.hpp"
#include "complaints/issue.hpp"
#include "complaints/outbox.hpp"
#include "complaints/record.hpp"
#include "complaints/storage.hpp"
#include "complaints/template_renderer.hpp"
#include "complaints/timeline.hpp"
#include "complaints/version.hpp"
#include "complaints/workflow.hpp"
